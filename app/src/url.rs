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

/// The name/value pairs of a query string (`+` is a space; a malformed escape stays as it is).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (urldecode(name), urldecode(value))
        })
        .collect()
}

fn urldecode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `path` with the e-mail address a refused form was sent with, so the form offers it again (an
/// address longer than any valid one is not worth the URL; passwords never come back).
pub fn with_typed_email(path: &str, email: &str) -> String {
    let typed = email.trim();
    if typed.is_empty() || typed.len() > 254 {
        return path.to_string();
    }
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}email={}", urlencode(typed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode_back_to_what_was_encoded() {
        let view = format!("q={}&state=SUBSCRIPTION_PENDING&overdue=on", urlencode("ä b&c=%"));
        assert_eq!(
            query_pairs(&view),
            [
                ("q".into(), "ä b&c=%".into()),
                ("state".into(), "SUBSCRIPTION_PENDING".into()),
                ("overdue".into(), "on".into())
            ]
        );
        assert_eq!(
            query_pairs("q=a+b&x=%zz&y=%4&&z"),
            [
                ("q".into(), "a b".into()),
                ("x".into(), "%zz".into()),
                ("y".into(), "%4".into()),
                ("z".into(), String::new())
            ]
        );
        assert_eq!(query_pairs("q=%FF"), [("q".into(), "\u{fffd}".into())]);
    }

    #[test]
    fn a_typed_address_comes_back_encoded_and_only_when_it_could_be_one() {
        assert_eq!(with_typed_email("/my/login", " a+b@x.example "), "/my/login?email=a%2Bb%40x.example");
        assert_eq!(with_typed_email("/login?next=/", "a@x"), "/login?next=/&email=a%40x");
        assert_eq!(with_typed_email("/login", &"a".repeat(255)), "/login");
        assert_eq!(with_typed_email("/login", "  "), "/login");
    }

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
