//! What Orderdesk does on someone else's behalf, attacked over HTTP: accounts and mails have
//! limits per network address and per target address, registering tells nobody who has an
//! account, one-time links are neither kept nor shown once delivered, and mail never crosses the
//! network in clear to a relay elsewhere.

use std::time::Duration;

use crate::support::{Backend, TestApp, cookie_client};
use app::model::Role;

on_both_databases!(
    registering_a_taken_address_answers_alike_and_mails_its_owner,
    registering_someone_elses_address_gains_nothing,
    nothing_mails_or_creates_without_limit,
    one_time_links_are_neither_kept_nor_shown_outside_the_demo,
    mail_goes_to_a_starttls_relay_encrypted_and_authenticated,
    mail_never_goes_in_clear_to_a_relay_without_starttls,
);

/// Registers a customer through the sign-up form's server function; the answer's status.
async fn register(app: &TestApp, email: &str) -> u16 {
    let password = "a long enough password";
    let form = [("email", email), ("password", password), ("repeat", password)];
    app.call(&cookie_client(), "/api/customer_register", &form).await.status().as_u16()
}

/// Waits up to 20 seconds until `sql` counts at least one row.
async fn until_some(app: &TestApp, sql: &str) {
    for _ in 0..200 {
        if sqlx::query_scalar::<_, i64>(sql).fetch_one(app.db.pool()).await.unwrap() > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing matched {sql}");
}

async fn registering_someone_elses_address_gains_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (victim, theirs) = ("bob@customer.example", "mallory's password");
    let mallory = cookie_client();
    let form = [("email", victim), ("password", theirs), ("repeat", theirs)];
    assert_eq!(app.call(&mallory, "/api/customer_register", &form).await.status(), 200);
    let login = |password: &'static str| {
        let request = cookie_client()
            .post(app.url("/api/customer_login"))
            .header("accept", "application/json")
            .form(&[("email", victim), ("password", password)]);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(login(theirs).await, 409, "an unconfirmed address signs nobody in");

    // Bob gets the link; without Mallory's password it confirms nothing and stays unused.
    let token = app.mailed_token(victim, "/verify?token=").await;
    let bob = cookie_client();
    let refused =
        app.call(&bob, "/api/verify_email", &[("token", &token), ("password", "bob's own password")]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.headers().get("set-cookie").is_none());
    assert_eq!(login(theirs).await, 409);

    // A password reset, mailed to Bob, makes the address his: Mallory's password is gone.
    assert_eq!(app.call(&bob, "/api/customer_forgot", &[("email", victim)]).await.status(), 200);
    let reset = app.mailed_token(victim, "/my/reset?token=").await;
    let new = "bob's new password";
    let form = [("token", reset.as_str()), ("password", new), ("repeat", new)];
    assert_eq!(app.call(&bob, "/api/customer_reset", &form).await.status(), 200);
    assert_eq!(login(new).await, 200);
    assert_eq!(login(theirs).await, 401);
}

async fn registering_a_taken_address_answers_alike_and_mails_its_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = cookie_client();
    assert_eq!(
        app.register_customer(&owner, "owner@customer.example", "the owner's password").await.status(),
        200
    );
    let form = |email: &'static str| {
        [("email", email), ("password", "an attacker's password"), ("repeat", "an attacker's password")]
    };
    let taken = app.call(&cookie_client(), "/api/customer_register", &form("owner@customer.example")).await;
    let fresh = app.call(&cookie_client(), "/api/customer_register", &form("fresh@customer.example")).await;
    assert_eq!(taken.status(), fresh.status());
    assert!(
        taken.headers().get("set-cookie").is_none() && fresh.headers().get("set-cookie").is_none(),
        "no session either way"
    );
    assert_eq!(taken.text().await.unwrap(), fresh.text().await.unwrap(), "the same answer");
    until_some(&app, "SELECT COUNT(*) FROM captured_mails WHERE recipient = 'owner@customer.example' AND subject LIKE 'You already have an account%'").await;
    let accounts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE email = 'owner@customer.example'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(accounts, 1);
    let signed_in = app
        .call(
            &cookie_client(),
            "/api/customer_login",
            &[("email", "owner@customer.example"), ("password", "the owner's password")],
        )
        .await;
    assert_eq!(signed_in.status(), 200, "the owner's password is unchanged");
}

async fn nothing_mails_or_creates_without_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--trusted-proxies", "127.0.0.1/32"]).await;
    let from = |client: &reqwest::Client, address: &str, path: &str, form: Vec<(&str, String)>| {
        let request = client
            .post(app.url(path))
            .header("accept", "application/json")
            .header("x-forwarded-for", address.to_string())
            .form(&form);
        async move { request.send().await.unwrap() }
    };
    let secret = || "a long enough password".to_string();
    let register = |n: usize, email: String| {
        from(
            &app.client,
            &format!("192.0.2.{n}"),
            "/api/customer_register",
            vec![("email", email), ("password", secret()), ("repeat", secret())],
        )
    };
    let statuses =
        |answers: &[reqwest::Response]| answers.iter().map(|a| a.status().as_u16()).collect::<Vec<_>>();

    // Per network address: ten registrations an hour, then 429 with Retry-After.
    let mut answers = Vec::new();
    for n in 0..11 {
        answers.push(
            from(
                &app.client,
                "198.51.100.7",
                "/api/customer_register",
                vec![("email", format!("many{n}@x.example")), ("password", secret()), ("repeat", secret())],
            )
            .await,
        );
    }
    assert_eq!(statuses(&answers)[..10], [200; 10]);
    assert_eq!(answers[10].status(), 429);
    assert!(answers[10].headers().contains_key("retry-after"));

    // Per target address: three mails a day caused from one network address, twenty from all.
    let mut answers = Vec::new();
    for _ in 0..4 {
        answers.push(register(200, "victim@x.example".into()).await);
    }
    assert_eq!(statuses(&answers), [200, 200, 200, 429], "one stranger cannot flood an inbox");
    let mut answers = Vec::new();
    for n in 0..18 {
        answers.push(register(n, "victim@x.example".into()).await);
    }
    let passed = statuses(&answers).iter().filter(|s| **s == 200).count();
    assert_eq!((passed, answers[17].status().as_u16()), (17, 429), "nor many strangers together");

    // Password-reset requests per address.
    let mut answers = Vec::new();
    for _ in 0..11 {
        answers.push(
            from(
                &app.client,
                "198.51.100.8",
                "/api/customer_forgot",
                vec![("email", "someone@x.example".into())],
            )
            .await,
        );
    }
    assert_eq!(answers[10].status(), 429);

    // Team invitations, per target and per address.
    let owner = cookie_client();
    let (app2, sim) = TestApp::spawn_with_stackit_and(backend, &["--trusted-proxies", "127.0.0.1/32"]).await;
    let id = crate::support::place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    owner
        .get(app2.url(&format!("/signup?x-stackit-marketplace-token={}", sim.redirect_token(&id))))
        .send()
        .await
        .unwrap();
    assert_eq!(
        app2.register_customer(&owner, "owner@x.example", "a long enough password").await.status(),
        200
    );
    let invite = |email: &str| {
        let request = owner
            .post(app2.url("/api/invite_member"))
            .header("accept", "application/json")
            .header("x-forwarded-for", "198.51.100.9")
            .form(&[("subscription_id", id.as_str()), ("email", email)]);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let mut same_target = Vec::new();
    for _ in 0..6 {
        same_target.push(invite("target@x.example").await);
    }
    assert_eq!(same_target, [200, 200, 200, 429, 429, 429]);
    let mut many = Vec::new();
    for n in 0..16 {
        many.push(invite(&format!("colleague{n}@x.example")).await);
    }
    assert_eq!(
        many.iter().filter(|s| **s == 200).count(),
        14,
        "20 invitations an hour from one address: {many:?}"
    );

    // Operator invitations, per address.
    let admin = app.signed_in(Role::Admin).await;
    let mut invited = Vec::new();
    for n in 0..21 {
        let form = vec![
            ("email", format!("op{n}@vendor.example")),
            ("name", "New Operator".to_string()),
            ("role", "viewer".to_string()),
        ];
        invited.push(from(&admin, "198.51.100.10", "/api/invite_operator", form).await.status().as_u16());
    }
    assert_eq!(invited.iter().filter(|s| **s == 200).count(), 20);
    assert_eq!(invited[20], 429);
}

async fn one_time_links_are_neither_kept_nor_shown_outside_the_demo(backend: Backend) {
    let database = crate::support::TestDatabase::create(backend).await;
    let mut config = crate::support::test_config(&database, &[]);
    config.show_captured_links = false;
    let app = TestApp::start(database, config).await;
    assert_eq!(register(&app, "ada@customer.example").await, 200);
    until_some(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND state = 'done'").await;
    let body: String =
        sqlx::query_scalar("SELECT body FROM captured_mails WHERE recipient = 'ada@customer.example'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(body.contains("/verify?token=[hidden]"), "{body}");
    let payload: String = sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = 'mail'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(payload, "{}", "a delivered mail keeps no link");
    let admin = app.signed_in(Role::Admin).await;
    let outbox = app.call(&admin, "/api/outbox", &[]).await.text().await.unwrap();
    assert!(outbox.contains("token=[hidden]"), "{outbox}");
    assert_eq!(outbox.matches("token=").count(), outbox.matches("token=[hidden]").count(), "{outbox}");
}

async fn mail_goes_to_a_starttls_relay_encrypted_and_authenticated(backend: Backend) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let sink = crate::support::smtp::SmtpSink::start_with_starttls(
        certified.cert.der().to_vec(),
        certified.key_pair.serialize_der(),
    )
    .await;
    let database = crate::support::TestDatabase::create(backend).await;
    let authority = database.folder.path().join("relay-ca.pem");
    std::fs::write(&authority, certified.cert.pem()).unwrap();
    // A relay elsewhere would get STARTTLS by default; on this machine it is asked for by name.
    let url = format!("smtp://orderdesk:s3cret-pass@localhost:{}?tls=required", sink.port);
    let config = crate::support::test_config(
        &database,
        &["--smtp-url", &url, "--smtp-ca-file", &authority.display().to_string()],
    );
    let app = TestApp::start(database, config).await;
    assert_eq!(register(&app, "carol@customer.example").await, 200);
    let message = sink.wait_for("carol@customer.example", "/verify?token=").await;
    assert!(message.tls, "the mail came inside TLS");
    let verbs = sink.verbs();
    assert!(verbs.contains(&"STARTTLS".to_string()) && verbs.contains(&"AUTH/tls".to_string()), "{verbs:?}");
    assert!(
        !verbs.iter().any(|v| matches!(v.as_str(), "AUTH" | "MAIL" | "DATA")),
        "nothing in clear: {verbs:?}"
    );
}

async fn mail_never_goes_in_clear_to_a_relay_without_starttls(backend: Backend) {
    let sink = crate::support::smtp::SmtpSink::start().await;
    let url = format!("smtp://orderdesk:s3cret-pass@127.0.0.1:{}?tls=required", sink.port);
    let app = TestApp::spawn_with(backend, &["--smtp-url", &url]).await;
    assert_eq!(register(&app, "bob@customer.example").await, 200);
    until_some(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND last_error IS NOT NULL").await;
    let verbs = sink.verbs();
    assert!(verbs.contains(&"EHLO".to_string()), "Orderdesk reached the relay: {verbs:?}");
    assert!(
        !verbs.iter().any(|v| matches!(v.as_str(), "AUTH" | "MAIL" | "DATA")),
        "nothing sent in clear: {verbs:?}"
    );
    assert_eq!(sink.received(), 0);
    let error: String = sqlx::query_scalar("SELECT last_error FROM jobs WHERE kind = 'mail'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(!error.contains("s3cret"), "{error}");
}
