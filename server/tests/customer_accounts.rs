//! The customer's account over HTTP, after arrival: password resets, mail by SMTP and its
//! retries, colleagues invited to a project and removed, and signing out.

use crate::support::customers::{PASSWORD, arrive, count, mail_to, page, register, register_only};
use crate::support::{Backend, TestApp, cookie_client, place_order};
use app::model::Role;

async fn a_forgotten_password_is_reset_by_a_mailed_link(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let customer = cookie_client();
    arrive(&app, &customer, &sim.redirect_token(&id)).await;
    register(&app, &customer, "lin@customer.example").await;
    let form = |email: &'static str| [("email", email)];
    for email in ["lin@customer.example", "nobody@customer.example"] {
        let asked = app.call(&cookie_client(), "/api/customer_forgot", &form(email)).await;
        assert_eq!(asked.status(), 200, "the same answer for known and unknown addresses");
    }
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'customer.reset_request'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(queued, 2, "both answers did the same work: one queued request each");
    mail_to(&app, "lin@customer.example", "/my/reset?token=").await;
    assert_eq!(
        app.call(&cookie_client(), "/api/customer_forgot", &form("lin@customer.example")).await.status(),
        200
    );
    let mut tokens = Vec::new();
    for _ in 0..100 {
        let bodies: Vec<String> =
            sqlx::query_scalar("SELECT body FROM captured_mails WHERE recipient = 'lin@customer.example' AND body LIKE '%/my/reset?token=%' ORDER BY created_at_ms")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        tokens = bodies
            .iter()
            .filter_map(|b| b.split_whitespace().find(|w| w.contains("/my/reset?token=")))
            .map(|link| link.split("token=").nth(1).unwrap().to_string())
            .collect();
        if tokens.len() == 2 {
            break;
        }
        tokens.clear();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(tokens.len(), 2, "two reset links were mailed");
    let (token, other) = (tokens[0].as_str(), tokens[1].clone());
    let new = "a brand new password";
    let reset = |token: String| {
        let app = &app;
        async move {
            app.call(
                &cookie_client(),
                "/api/customer_reset",
                &[("token", &token), ("password", new), ("repeat", new)],
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(reset(token.to_string()).await, 200);
    assert_eq!(reset(token.to_string()).await, 422, "a link works once");
    assert_eq!(reset(other).await, 422, "a reset ends the account's other reset links");
    assert_ne!(page(&app, &customer, "/my").await.0, 200, "the old session ended");
    let sign_in = |password: &'static str| {
        let app = &app;
        async move {
            cookie_client()
                .post(app.url("/api/customer_login"))
                .header("accept", "application/json")
                .form(&[("email", "lin@customer.example"), ("password", password)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(sign_in(PASSWORD).await, 401);
    assert_eq!(sign_in(new).await, 200);
}

async fn mail_goes_out_by_smtp_when_a_server_is_configured(backend: Backend) {
    let sink = crate::support::smtp::SmtpSink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_with(
        backend,
        &["--smtp-url", &url, "--mail-from", "Orderdesk <orders@vendor.example>"],
    )
    .await;
    let asked =
        app.call(&cookie_client(), "/api/customer_forgot", &[("email", "nobody@customer.example")]).await;
    assert_eq!(asked.status(), 200);
    let customer = cookie_client();
    assert_eq!(register_only(&app, &customer, "smtp@customer.example").await.status(), 200);
    let message = sink.wait_for("smtp@customer.example", "/verify?token=").await;
    assert!(message.data.contains("From: Orderdesk <orders@vendor.example>"), "{}", message.data);
    assert!(message.data.contains("Subject: Confirm your e-mail address"), "{}", message.data);
    assert_eq!(count(&app, "captured_mails").await, 0, "nothing captured when SMTP is configured");
}

async fn a_colleague_is_invited_sees_the_project_and_can_be_removed(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let owner = cookie_client();
    arrive(&app, &owner, &sim.redirect_token(&id)).await;
    register(&app, &owner, "owner@customer.example").await;
    let invited = app
        .call(
            &owner,
            "/api/invite_member",
            &[("subscription_id", &id), ("email", "colleague@customer.example")],
        )
        .await;
    assert_eq!(invited.status(), 200);
    let mail = mail_to(&app, "colleague@customer.example", "/my/invite?token=").await;
    let link = mail.split_whitespace().find(|w| w.contains("/my/invite?token=")).unwrap();
    let path = &link[link.find("/my/invite").unwrap()..];

    // Someone else who holds the link, signed in with another address, cannot use it.
    let stranger = cookie_client();
    assert_eq!(register(&app, &stranger, "stranger@customer.example").await.status(), 200);
    let (status, asked) = page(&app, &stranger, path).await;
    assert_eq!(status, 200);
    assert!(asked.contains("This invitation was sent to colleague@customer.example"), "{asked}");
    let token = path.split("token=").nth(1).unwrap();
    let refused = app.call(&stranger, "/api/accept_invite", &[("token", token)]).await;
    assert_eq!(refused.status(), 422, "bound to the invited address");
    let (_, list) = page(&app, &stranger, "/my").await;
    assert!(!list.contains(id.as_str()), "the stranger sees nothing of the project");

    let colleague = cookie_client();
    let opened = colleague.get(app.url(path)).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()["location"], "/welcome?invited=1");
    assert_eq!(register(&app, &colleague, "colleague@customer.example").await.status(), 200);
    let verified: Option<i64> = sqlx::query_scalar(
        "SELECT email_verified_at_ms FROM customers WHERE email = 'colleague@customer.example'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(verified.is_some(), "the invitation, mailed to the address, confirmed it");
    let status_path = format!("/my/subscriptions/{id}");
    assert_eq!(page(&app, &colleague, &status_path).await.0, 200, "the colleague sees the project");

    let team: serde_json::Value =
        app.call(&owner, "/api/subscription_team", &[("subscription_id", &id)]).await.json().await.unwrap();
    let member_id = |email: &str| {
        team["members"].as_array().unwrap().iter().find(|m| m["email"] == email).unwrap()["customer_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (owner_id, colleague_id) =
        (member_id("owner@customer.example"), member_id("colleague@customer.example"));
    let refused = app
        .call(&colleague, "/api/remove_member", &[("subscription_id", &id), ("member_id", &owner_id)])
        .await;
    assert_eq!(refused.status(), 403, "members do not remove people");
    let removed = app
        .call(&owner, "/api/remove_member", &[("subscription_id", &id), ("member_id", &colleague_id)])
        .await;
    assert_eq!(removed.status(), 200);
    assert_eq!(page(&app, &colleague, &status_path).await.0, 404, "removed: the project is gone for them");
    let again = colleague.get(app.url(path)).send().await.unwrap();
    assert_eq!(again.status(), 422, "an invitation works once");
    let forged =
        cookie_client().get(app.url("/my/invite?token=x%3B%20Domain%3Devil.example")).send().await.unwrap();
    assert_eq!(forged.status(), 422);
    assert!(forged.headers().get("set-cookie").is_none(), "nothing of a forged link reaches a cookie");
}

async fn signing_out_and_the_other_token_name_work(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let customer = cookie_client();
    let path = format!("/signup?x-stackit-marketplace={}", sim.redirect_token(&id));
    let arrived = customer.get(app.url(&path)).send().await.unwrap();
    assert_eq!(arrived.status(), 303, "STACKIT's other spelling of the parameter");
    register(&app, &customer, "out@customer.example").await;
    assert_eq!(page(&app, &customer, "/my").await.0, 200);
    assert_eq!(app.call(&customer, "/api/customer_logout", &[]).await.status(), 200);
    let after = customer.get(app.url("/my")).send().await.unwrap();
    assert_eq!(after.status(), 302);
    assert_eq!(after.headers()["location"], "/my/login");
}

async fn mail_that_cannot_be_delivered_is_retried_and_shown_to_admins(backend: Backend) {
    // Nothing listens on this port: every delivery fails.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("smtp://127.0.0.1:{closed}");
    let app = TestApp::spawn_with(backend, &["--smtp-url", &url]).await;
    assert_eq!(register_only(&app, &cookie_client(), "lost@customer.example").await.status(), 200);
    let admin = app.signed_in(Role::Admin).await;
    let mut outbox = serde_json::Value::Null;
    for _ in 0..100 {
        outbox = app.call(&admin, "/api/outbox", &[]).await.json().await.unwrap();
        if !outbox["failed"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let failed = &outbox["failed"][0];
    assert_eq!(failed["kind"], "mail");
    assert_eq!(failed["state"], "queued", "it will be tried again");
    assert!(failed["last_error"].as_str().unwrap().contains("SMTP"), "{failed}");
    assert_eq!(outbox["capturing"], false);
    let viewer = app.signed_in(Role::Viewer).await;
    assert_eq!(app.call(&viewer, "/api/outbox", &[]).await.status(), 403);
}

/// A registration sent without JavaScript that fails comes back to the form with the field at
/// fault named (the page marks it `aria-invalid`, puts its error beside it and focus on it) and
/// the address typed, never a password.
async fn a_failed_registration_names_the_field_and_keeps_the_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = cookie_client();
    let send = |email: &'static str, password: &'static str, repeat: &'static str| {
        let request = browser.post(app.url("/api/customer_register")).header("accept", "text/html").form(&[
            ("email", email),
            ("password", password),
            ("repeat", repeat),
        ]);
        async move {
            let answer = request.send().await.unwrap();
            answer.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
        }
    };
    let differ = send("kim+ops@customer.example", "a first password", "a second password").await;
    assert_eq!(differ, "/welcome?email=kim%2Bops%40customer.example&error=invalid&field=repeat");
    assert!(!differ.contains("password"), "no password in the address");
    let short = send("kim@customer.example", "short", "short").await;
    assert!(short.ends_with("&error=invalid&field=password"), "{short}");
    let bad = send("not an address", "a long enough password", "a long enough password").await;
    assert!(bad.ends_with("&error=invalid&field=email"), "{bad}");

    let (status, html) = page(&app, &browser, &differ).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"value="kim+ops@customer.example""#), "the address is kept");
    let repeat =
        html.split("id=\"repeat\"").nth(1).and_then(|rest| rest.split('>').next()).unwrap_or_default();
    assert!(repeat.contains(r#"aria-invalid="true""#) && repeat.contains("autofocus"), "{repeat}");
    assert!(html.contains(r#"id="repeat-error""#), "the error beside the field");
    assert!(!html.contains(r#"role="alert""#), "no list of every possible cause");
}

on_both_databases!(
    a_failed_registration_names_the_field_and_keeps_the_address,
    a_forgotten_password_is_reset_by_a_mailed_link,
    mail_goes_out_by_smtp_when_a_server_is_configured,
    a_colleague_is_invited_sees_the_project_and_can_be_removed,
    signing_out_and_the_other_token_name_work,
    mail_that_cannot_be_delivered_is_retried_and_shown_to_admins,
);
