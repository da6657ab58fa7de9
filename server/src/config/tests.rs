//! Settings read as an operator would write them, and refused with the setting's name.

use super::*;

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(std::iter::once("orderdesk").chain(args.iter().copied()))
}

#[test]
fn defaults_give_sqlite_in_the_data_folder() {
    let cli = parse(&["--data-dir", "/var/lib/orderdesk"]).unwrap();
    let url = cli.config.database_url();
    assert_eq!(url.kind(), DatabaseKind::Sqlite);
    assert_eq!(url.sqlite_file(), Some(PathBuf::from("/var/lib/orderdesk/orderdesk.db")));
}

#[test]
fn a_malformed_setting_is_refused_with_its_name() {
    let error = parse(&["--listen", "not-an-address"]).unwrap_err().to_string();
    assert!(error.contains("--listen"), "{error}");
    let error = parse(&["--database-url", "mysql://x"]).unwrap_err().to_string();
    assert!(error.contains("--database-url") && error.contains("sqlite://"), "{error}");
    let error = parse(&["--request-timeout-secs", "0"]).unwrap_err().to_string();
    assert!(error.contains("--request-timeout-secs"), "{error}");
    let error = parse(&["--default-time-zone", "Europe/Atlantis"]).unwrap_err().to_string();
    assert!(error.contains("--default-time-zone") && error.contains("IANA"), "{error}");
    assert_eq!(parse(&[]).unwrap().config.default_time_zone, "Europe/Berlin");
    assert_eq!(
        parse(&["--default-time-zone", "America/New_York"]).unwrap().config.default_time_zone,
        "America/New_York"
    );
}

#[test]
fn database_passwords_never_appear_in_debug_output() {
    let url = DatabaseUrl::parse("postgres://orderdesk:s3cret@db.internal:5432/orderdesk").unwrap();
    assert_eq!(url.redacted(), "postgres://db.internal:5432/orderdesk");
    for (raw, shown) in [
        ("postgres://db.internal/orderdesk?user=od&password=s3cret", "postgres://db.internal/orderdesk"),
        ("postgres://od:p@ss@s3cret@db.internal/orderdesk", "postgres://db.internal/orderdesk"),
        ("postgresql://od:s3cret@db.internal/od?sslpassword=s3cret", "postgresql://db.internal/od"),
        ("sqlite://data/orderdesk.db?mode=rwc", "sqlite://data/orderdesk.db"),
        ("postgres://dbuser:2024/s3cret!@db:5432/od", "postgres://db:5432/od"),
        ("postgres://dbuser:s3cret?x#y@db:5432/od", "postgres://db:5432/od"),
    ] {
        let url = DatabaseUrl::parse(raw).unwrap();
        assert_eq!(url.redacted(), shown, "{raw}");
        assert!(!format!("{url:?}").contains("s3cret"), "{raw}");
    }
    let cli = parse(&["--database-url", url.expose()]).unwrap();
    assert!(!format!("{cli:?}").contains("s3cret"));
}

#[test]
fn the_static_stackit_token_never_appears_in_debug_output() {
    let cli = parse(&["--stackit-access-token", "bearer-s3cret"]).unwrap();
    assert!(!format!("{cli:?}").contains("bearer-s3cret"));
    let error = parse(&["--stackit-vendor-project-id", "not-a-uuid"]).unwrap_err().to_string();
    assert!(error.contains("--stackit-vendor-project-id"), "{error}");
}

#[test]
fn cookies_are_secure_except_for_plain_http_on_this_machine() {
    assert!(!parse(&[]).unwrap().config.secure_cookies());
    assert!(parse(&["--listen", "0.0.0.0:3000"]).unwrap().config.secure_cookies());
    assert!(parse(&["--public-url", "https://orders.vendor.example"]).unwrap().config.secure_cookies());
    assert!(!parse(&["--public-url", "http://localhost:3000"]).unwrap().config.secure_cookies());
    assert!(parse(&["--public-url", "http://localhost.evil.example"]).unwrap().config.secure_cookies());
    assert!(parse(&["--public-url", "http://127.0.0.1.nip.io"]).unwrap().config.secure_cookies());
}

#[test]
fn browsers_keep_to_https_only_when_the_public_url_is_https() {
    assert!(parse(&["--public-url", "https://orders.vendor.example"]).unwrap().config.public_url_is_https());
    assert!(!parse(&["--public-url", "http://localhost:3000"]).unwrap().config.public_url_is_https());
    assert!(!parse(&[]).unwrap().config.public_url_is_https());
}

#[test]
fn an_open_metrics_endpoint_on_a_public_address_is_warned_about() {
    assert!(parse(&[]).unwrap().config.metrics_exposure().is_none(), "loopback");
    let open = parse(&["--listen", "0.0.0.0:3000"]).unwrap().config.metrics_exposure().unwrap();
    assert!(open.contains("ORDERDESK_METRICS_TOKEN"), "{open}");
    let guarded = parse(&["--listen", "0.0.0.0:3000", "--metrics-token", "t0ken"]).unwrap();
    assert!(guarded.config.metrics_exposure().is_none());
}

#[test]
fn trusted_proxies_are_networks_or_single_addresses() {
    let config = parse(&["--trusted-proxies", "10.0.0.0/8, 192.0.2.1,fd00::/8"]).unwrap().config;
    assert_eq!(config.trusted_proxies.len(), 3);
    assert_eq!(config.trusted_proxies[1].to_string(), "192.0.2.1/32");
    let error = parse(&["--trusted-proxies", "ingress"]).unwrap_err().to_string();
    assert!(error.contains("--trusted-proxies"), "{error}");
}

#[test]
fn a_sqlite_url_without_a_file_is_refused() {
    assert!(DatabaseUrl::parse("sqlite://").is_err());
    assert_eq!(
        DatabaseUrl::parse("sqlite://x/y.db?mode=rwc").unwrap().sqlite_file(),
        Some(PathBuf::from("x/y.db"))
    );
}
