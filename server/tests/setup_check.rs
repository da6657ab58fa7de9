//! The set-up check (`orderdesk check`, Settings → "Check the set-up") against the simulator:
//! with a correct configuration nothing fails (and the command exits 0); each broken link fails
//! on its own line with its advice (a wrong project's 403, a refused key, an unreachable keys
//! URL, a malformed key file, a relay that refuses the login, a webhook that answers 500), and
//! the command then exits 1. Admins read the same lines in the console.

use app::i18n::Locale;
use app::model::{CheckOutcome, CheckReport, Role};
use server::check::SetupCheck;
use server::config::Config;
use server::marketplace::simulator::{Simulator, SimulatorSettings};

use crate::support::{Backend, TestApp, TestDatabase, connect_to_simulator, test_config};

/// A webhook receiver answering every request with `status`.
async fn receiver(status: u16) -> String {
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || async move { axum::http::StatusCode::from_u16(status).unwrap() }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

/// An application on the simulator with a STARTTLS relay and a webhook that works, its public
/// address its own; `breaks` changes the configuration the check then reads.
async fn checked(
    backend: Backend,
    breaks: impl FnOnce(&mut Config, &std::path::Path),
) -> (CheckReport, Config) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let sink = crate::support::smtp::SmtpSink::start_with_starttls(
        certified.cert.der().to_vec(),
        certified.key_pair.serialize_der(),
    )
    .await;
    let database = TestDatabase::create(backend).await;
    let folder = database.folder.path().to_path_buf();
    let authority = folder.join("relay-ca.pem");
    std::fs::write(&authority, certified.cert.pem()).unwrap();
    let smtp = format!("smtp://orderdesk:s3cret-pass@localhost:{}?tls=required", sink.port);
    let hook = receiver(204).await;
    let args = [
        "--smtp-url",
        &smtp,
        "--smtp-ca-file",
        &authority.display().to_string(),
        "--webhook-url",
        &hook,
        "--webhook-secret",
        "hook secret",
    ];
    let mut config = test_config(&database, &args);
    let sim =
        Simulator::build(SimulatorSettings { record_exchanges: false, ..SimulatorSettings::for_tests() })
            .await
            .unwrap()
            .spawn();
    connect_to_simulator(&mut config, &sim, &folder);
    crate::support::place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let app = TestApp::start(database, config.clone()).await;
    crate::support::orders::startup_sync_done(&app).await;
    config.public_url = Some(app.address.clone());
    breaks(&mut config, &folder);
    let report = SetupCheck::new(&config, &app.db).run(Locale::En).await;
    drop(sim);
    (report, config)
}

/// The line about `what`, which must exist.
fn line<'a>(report: &'a CheckReport, what: &str) -> &'a app::model::CheckLine {
    report.lines.iter().find(|l| l.what == what).unwrap_or_else(|| panic!("no line {what:?}: {report:#?}"))
}

fn failed(report: &CheckReport) -> Vec<&str> {
    report.lines.iter().filter(|l| l.outcome == CheckOutcome::Fail).map(|l| l.what.as_str()).collect()
}

async fn a_correct_set_up_passes_every_line(backend: Backend) {
    let (report, _) = checked(backend, |_, _| {}).await;
    assert!(report.passed(), "{}", server::check::as_text(&report));
    let steps: std::collections::BTreeSet<u8> = report.lines.iter().map(|l| l.step).collect();
    assert_eq!(steps.into_iter().collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7], "every link of the chain");
    assert_eq!(line(&report, "Access token from STACKIT").outcome, CheckOutcome::Pass);
    assert_eq!(line(&report, "Token renewal").outcome, CheckOutcome::Pass);
    assert!(line(&report, "Subscriptions of the vendor project").detail.contains("SUBSCRIPTION_PENDING"));
    assert!(line(&report, "Sign-up URL to register at STACKIT").detail.contains("/signup"));
    assert!(line(&report, "Mail").detail.starts_with("localhost: connected"), "{report:#?}");
    assert!(line(&report, "Webhook").detail.contains("HTTP 204"));
    assert!(line(&report, "Database").detail.contains("migrations applied"));
    // Loopback is fine for this test, and said so.
    assert_eq!(line(&report, "Public address").outcome, CheckOutcome::Warn);
    let text = server::check::as_text(&report);
    assert!(!text.contains("s3cret-pass") && !text.contains("hook secret"), "no secret printed: {text}");
}

/// A change to the configuration that breaks one link.
type Breaks = Box<dyn FnOnce(&mut Config, &std::path::Path)>;

async fn each_broken_link_fails_on_its_line_with_advice(backend: Backend) {
    let refusing = receiver(500).await;
    let silent = silent_receiver().await;
    let cases: Vec<(&str, Breaks, &str, &str)> = vec![
        (
            "a webhook that answers 500",
            Box::new(move |c: &mut Config, _: &std::path::Path| c.webhook_url = Some(refusing)),
            "Webhook",
            "2xx",
        ),
        (
            "a webhook that never answers",
            Box::new(move |c: &mut Config, _: &std::path::Path| c.webhook_url = Some(silent)),
            "Webhook",
            "2xx",
        ),
        (
            "a key file stored as one JSON string",
            Box::new(|c: &mut Config, folder: &std::path::Path| {
                let path = c.stackit.stackit_service_account_key_path.clone().unwrap();
                let text = std::fs::read_to_string(&path).unwrap();
                let wrapped = folder.join("wrapped-key.json");
                std::fs::write(&wrapped, serde_json::Value::String(text).to_string()).unwrap();
                c.stackit.stackit_service_account_key_path = Some(wrapped);
            }),
            "Service-account key",
            "STACKIT_SERVICE_ACCOUNT_KEY_PATH",
        ),
        (
            "a wrong project",
            Box::new(|c: &mut Config, _: &std::path::Path| {
                c.stackit.stackit_vendor_project_id = Some(uuid::Uuid::new_v4())
            }),
            "Subscriptions of the vendor project",
            "403",
        ),
        (
            "a revoked key",
            Box::new(|c: &mut Config, folder: &std::path::Path| {
                let path = c.stackit.stackit_service_account_key_path.clone().unwrap();
                let mut key: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                key["credentials"]["kid"] = "revoked-key".into();
                let revoked = folder.join("revoked-key.json");
                std::fs::write(&revoked, key.to_string()).unwrap();
                c.stackit.stackit_service_account_key_path = Some(revoked);
            }),
            "Access token from STACKIT",
            "revoked",
        ),
        (
            "an unreachable keys URL",
            Box::new(|c: &mut Config, _: &std::path::Path| {
                c.stackit.stackit_redirect_keys_url = "http://127.0.0.1:9/keys.json".into()
            }),
            "Keys of STACKIT's sign-up tokens",
            "STACKIT_REDIRECT_KEYS_URL",
        ),
        (
            "a malformed key file",
            Box::new(|c: &mut Config, folder: &std::path::Path| {
                let broken = folder.join("broken-key.json");
                std::fs::write(&broken, "{ not a key").unwrap();
                c.stackit.stackit_service_account_key_path = Some(broken);
            }),
            "Service-account key",
            "STACKIT_SERVICE_ACCOUNT_KEY_PATH",
        ),
        (
            "a relay that refuses the login",
            Box::new(|c: &mut Config, _: &std::path::Path| {
                let url = secrecy::ExposeSecret::expose_secret(c.smtp_url.as_ref().unwrap())
                    .replace("s3cret-pass", "refused");
                c.smtp_url = Some(secrecy::SecretString::from(url));
            }),
            "Mail",
            "ORDERDESK_SMTP_URL",
        ),
    ];
    for (case, breaks, what, advice) in cases {
        let started = std::time::Instant::now();
        let (report, _) = checked(backend, breaks).await;
        assert!(started.elapsed() < std::time::Duration::from_secs(25), "{case}: within the request timeout");
        assert!(!report.passed(), "{case}");
        let broken = line(&report, what);
        assert_eq!(broken.outcome, CheckOutcome::Fail, "{case}: {report:#?}");
        assert!(broken.advice.as_deref().unwrap_or_default().contains(advice), "{case}: {broken:?}");
        assert_eq!(failed(&report), [what], "{case}: only its own line fails");
        let text = server::check::as_text(&report);
        for secret in ["s3cret-pass", "hook secret", "PRIVATE KEY"] {
            assert!(!text.contains(secret), "{case}: {secret} printed: {text}");
        }
        match case {
            "a revoked key" => assert!(broken.detail.contains("401"), "{broken:?}"),
            "a webhook that answers 500" => assert!(broken.detail.contains("HTTP 500"), "{broken:?}"),
            _ => {}
        }
    }
}

/// A webhook receiver that takes the request and never answers.
async fn silent_receiver() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    url
}

/// Products are compared both ways: Orderdesk's without subscriptions at STACKIT are named with
/// advice, STACKIT's not yet in Orderdesk are named as what the next sync adds.
async fn products_are_compared_both_ways(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    crate::support::place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    server::jobs::sync::run_once(&crate::support::vendor_client(&sim), &app.db).await.unwrap();
    crate::support::place_order(&sim, "insight-0a1b2c3d", "in-trial-4d5e6f7a", None);
    server::db::setup::save_product(app.db.pool(), "ghost-0000", "Ghost", 86_400).await.unwrap();
    let mut config = test_config(&app.database, &[]);
    connect_to_simulator(&mut config, &sim, app.database.folder.path());
    let report = SetupCheck::new(&config, &app.db).run(Locale::En).await;
    let products = line(&report, "Products");
    assert_eq!(products.outcome, CheckOutcome::Warn, "{products:?}");
    assert!(products.advice.as_deref().unwrap_or_default().contains("ghost-0000"), "{products:?}");
    assert!(
        products.detail.contains("not yet in Orderdesk (the next sync adds them): insight-0a1b2c3d"),
        "{products:?}"
    );
}

/// The command's exit status gates a deployment; admins read the same check in the console.
async fn the_command_exits_by_the_result_and_admins_see_it(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_orderdesk"))
            .args(["--database-url", app.database.url.expose()])
            .args(extra)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    // Without STACKIT or a public address, the command says so and fails.
    let (code, text) = run(&["check"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("FAIL STACKIT vendor project") && text.contains("STACKIT_VENDOR_PROJECT_ID"),
        "{text}"
    );

    // With the running server's settings (its STACKIT, its address), it passes: exit status 0.
    let key = app.database.folder.path().join("vendor-key.json");
    let configured: Vec<String> = vec![
        "--stackit-api-url".into(),
        sim.base_url().to_string(),
        "--stackit-vendor-project-id".into(),
        sim.vendor_project_id().to_string(),
        "--stackit-service-account-key-path".into(),
        key.display().to_string(),
        "--stackit-redirect-keys-url".into(),
        sim.keys_url().to_string(),
        "--public-url".into(),
        app.address.clone(),
    ];
    let configured: Vec<&str> = configured.iter().map(String::as_str).collect();
    let (code, text) = run(&[&configured[..], &["check"]].concat());
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("2 PASS Access token from STACKIT") && !text.contains("FAIL"), "{text}");
    let (_, german) = run(&[&configured[..], &["check", "--language", "de"]].concat());
    assert!(german.contains("Zugriffstoken von STACKIT"), "{german}");

    let admin = app.signed_in(Role::Admin).await;
    let page = admin.get(app.url("/settings/check")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Access token from STACKIT") && page.contains("Database"), "the check's lines");
    let operator = app.signed_in(Role::Operator).await;
    assert_eq!(app.call(&operator, "/api/setup_check", &[]).await.status(), 403);
}

on_both_databases!(
    a_correct_set_up_passes_every_line,
    each_broken_link_fails_on_its_line_with_advice,
    the_command_exits_by_the_result_and_admins_see_it,
    products_are_compared_both_ways,
);
