//! `ORDERDESK_SMTP_URL` read with one rule lettre's URL scheme lacks: mail and passwords never
//! cross a network in clear by accident. In lettre's scheme `smtp://` without a `tls` parameter is
//! plaintext, so `smtp://user:password@relay:587` would send the password unencrypted; here it
//! means STARTTLS (required) unless the relay is on this machine. Plaintext elsewhere must be asked
//! for by name (`?tls=none`), and opportunistic TLS, which anyone on the path can strip, is refused.

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// TLS from the first byte (`smtps://`, port 465 by default).
    Tls,
    /// STARTTLS, required: without it nothing is sent (port 587 by default).
    StartTls,
    /// None: only for a relay on this machine, or when asked for with `?tls=none`.
    Plain,
}

/// The URL as lettre reads it, and the protection it gives.
#[derive(Debug, PartialEq, Eq)]
pub struct SmtpUrl {
    /// For `AsyncSmtpTransport::from_url` (may hold the password: never log it).
    pub lettre_url: String,
    pub protection: Protection,
    /// The relay's host name, which its certificate must name.
    pub host: String,
}

const USAGE: &str = "must be smtps://USER:PASSWORD@HOST:465, smtp://USER:PASSWORD@HOST:587 (STARTTLS) \
                     or smtp://HOST:25?tls=none (plaintext, for a relay you trust)";

/// Reads an `ORDERDESK_SMTP_URL`; the error names the problem without the URL (it may hold a password).
pub fn parse(value: &str) -> Result<SmtpUrl, String> {
    let mut url = reqwest::Url::parse(value.trim()).map_err(|_| format!("is not a URL: it {USAGE}"))?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| format!("names no host: it {USAGE}"))?
        .trim_matches(['[', ']'])
        .to_string();
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    let tls = url.query_pairs().find(|(key, _)| key == "tls").map(|(_, value)| value.into_owned());
    let protection = match (url.scheme(), tls.as_deref()) {
        ("smtps", None) => Protection::Tls,
        ("smtps", Some(_)) => return Err("smtps:// is TLS from the start: leave out ?tls=".into()),
        ("smtp", Some("required")) => Protection::StartTls,
        ("smtp", Some("none")) => Protection::Plain,
        ("smtp", None) if loopback => Protection::Plain,
        ("smtp", None) => Protection::StartTls,
        ("smtp", Some("opportunistic")) => {
            return Err("?tls=opportunistic falls back to plaintext whenever someone on the way strips \
                        STARTTLS: use ?tls=required (the default), or ?tls=none for a relay you trust"
                .into());
        }
        ("smtp", Some(other)) => return Err(format!("?tls={other} is unknown: use required or none")),
        _ => return Err(format!("has an unknown scheme: it {USAGE}")),
    };
    let others: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != "tls")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    if !others.is_empty() || protection == Protection::StartTls {
        let mut query = url.query_pairs_mut();
        query.extend_pairs(others);
        if protection == Protection::StartTls {
            query.append_pair("tls", "required");
        }
    }
    Ok(SmtpUrl { lettre_url: url.to_string(), protection, host })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protection(url: &str) -> Protection {
        parse(url).unwrap().protection
    }

    #[test]
    fn a_relay_elsewhere_gets_starttls_unless_plaintext_is_asked_for_by_name() {
        let parsed = parse("smtp://user:p%40ss@smtp.example:587").unwrap();
        assert_eq!(parsed.protection, Protection::StartTls);
        assert_eq!(parsed.lettre_url, "smtp://user:p%40ss@smtp.example:587?tls=required");
        assert_eq!(protection("smtp://smtp.example"), Protection::StartTls);
        assert_eq!(protection("smtp://smtp.example:587?tls=required"), Protection::StartTls);
        assert_eq!(protection("smtps://user:pw@smtp.example:465"), Protection::Tls);
        let plain = parse("smtp://relay.internal:25?tls=none").unwrap();
        assert_eq!(plain.protection, Protection::Plain);
        assert_eq!(
            plain.lettre_url, "smtp://relay.internal:25",
            "lettre reads no tls parameter as plaintext"
        );
    }

    #[test]
    fn a_relay_on_this_machine_may_be_plaintext() {
        assert_eq!(protection("smtp://127.0.0.1:2525"), Protection::Plain);
        assert_eq!(protection("smtp://localhost:25"), Protection::Plain);
        assert_eq!(protection("smtp://[::1]:25"), Protection::Plain);
        assert_eq!(protection("smtp://127.0.0.1:2525?tls=required"), Protection::StartTls);
        assert_eq!(protection("smtp://localhost.evil.example"), Protection::StartTls);
    }

    #[test]
    fn unsafe_or_unknown_settings_are_refused_without_echoing_the_password() {
        for bad in [
            "smtp://user:s3cret@smtp.example?tls=opportunistic",
            "smtp://user:s3cret@smtp.example?tls=maybe",
            "smtps://user:s3cret@smtp.example?tls=required",
            "http://user:s3cret@smtp.example",
            "not a url s3cret",
        ] {
            let error = parse(bad).unwrap_err();
            assert!(!error.contains("s3cret"), "{error}");
        }
    }
}
