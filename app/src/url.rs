//! Addresses inside the site: which redirect targets are safe to follow, and how a value is
//! encoded into a query string. Shared by server functions and pages.

/// Where to go after signing in or switching the language: a path on this site, else `/`.
pub fn safe_next(next: Option<&str>) -> String {
    next.filter(|path| is_local_path(path)).unwrap_or("/").to_string()
}

/// Whether `path` can only lead to this site: one leading slash, then printable ASCII without
/// backslashes. Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/<TAB>/evil`
/// and `/\evil` would become `//evil` (another host); spaces, controls and non-ASCII characters
/// are refused with them, which also keeps the value a valid `Location` header.
fn is_local_path(path: &str) -> bool {
    let mut rest = path.chars();
    rest.next() == Some('/')
        && !matches!(rest.next(), Some('/'))
        && path.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

/// Where an action taken from the inbox returns: the inbox view it was taken in (a local path
/// under `/orders` with its query, no fragment), else `None`.
pub fn inbox_return(back: Option<&str>) -> Option<String> {
    back.filter(|path| is_local_path(path) && !path.contains('#') && path.len() <= 2_000)
        .filter(|path| *path == "/orders" || path.starts_with("/orders?"))
        .map(str::to_string)
}

/// Percent-encodes a path for use in a query string.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/orders?state=pending")), "/orders?state=pending");
        assert_eq!(safe_next(Some("/")), "/");
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{7f}/evil.example",
            "/\u{2215}evil.example",
            "/ｅvil",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(safe_next(None), "/");
        assert_eq!(
            inbox_return(Some("/orders?state=X&after=abc")).as_deref(),
            Some("/orders?state=X&after=abc")
        );
        assert_eq!(inbox_return(Some("/orders")).as_deref(), Some("/orders"));
        for elsewhere in [
            "//evil.example",
            "/orders/../settings",
            "/ordersx",
            "/orders?a#b",
            "/",
            "https://evil.example/orders",
        ] {
            assert_eq!(inbox_return(Some(elsewhere)), None, "{elsewhere}");
        }
        assert_eq!(urlencode("/orders?state=a b"), "/orders%3Fstate%3Da%20b");
    }
}
