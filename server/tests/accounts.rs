//! Operator accounts over HTTP: signing in and out, sessions and their timeouts, rate limits,
//! password changes, cross-site refusal, and the role check on the server.

use crate::support::{Backend, TestApp, cookie_client};
use app::model::Role;

async fn signing_in_sets_a_fresh_http_only_lax_cookie(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (email, password) = app.operator(Role::Operator).await;
    let client = cookie_client();
    let first = app.sign_in(&client, &email, &password).await;
    assert_eq!(first.status(), 200);
    let cookie = first.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("orderdesk_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http on localhost");
    let body: serde_json::Value = first.json().await.unwrap();
    assert_eq!(body["email"], email.as_str());
    assert!(body.get("password_hash").is_none());

    let second = app.sign_in(&client, &email, &password).await;
    let rotated = second.headers()["set-cookie"].to_str().unwrap().to_string();
    assert_ne!(cookie.split(';').next(), rotated.split(';').next(), "a new session ID at every sign-in");
    let sessions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(sessions, 1, "the session from before the sign-in ended");
    let raw: String =
        sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_one(app.db.pool()).await.unwrap();
    assert!(!rotated.contains(&raw), "only a hash of the token is stored");
}

async fn wrong_passwords_are_refused_then_rate_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (email, password) = app.operator(Role::Viewer).await;
    let client = cookie_client();
    for _ in 0..5 {
        assert_eq!(app.sign_in(&client, &email, "wrong password!").await.status(), 401);
    }
    let limited = app.sign_in(&client, &email, &password).await;
    assert_eq!(limited.status(), 429, "even the right password waits");
    assert_eq!(limited.json::<serde_json::Value>().await.unwrap()["kind"], "rate_limited");
    assert_eq!(app.sign_in(&client, "nobody@vendor.example", &password).await.status(), 401);
}

async fn a_browser_form_is_sent_back_with_the_error_or_on_to_its_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (email, password) = app.operator(Role::Viewer).await;
    let client = cookie_client();
    let form = |password: &str| {
        client
            .post(app.url("/api/login"))
            .header("accept", "text/html")
            .header("referer", app.url("/login"))
            .form(&[("email", email.as_str()), ("password", password), ("next", "/?hide_empty=on")])
    };
    let failed = form("wrong password!").send().await.unwrap();
    assert_eq!(failed.status(), 302);
    let back = failed.headers()["location"].to_str().unwrap();
    assert_eq!(
        back,
        format!("/login?next=/%3Fhide_empty%3Don&email={}&error=unauthorized", email.replace('@', "%40"))
    );
    let done = form(&password).send().await.unwrap();
    assert_eq!(done.status(), 302);
    assert_eq!(done.headers()["location"], "/?hide_empty=on");
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 200);
}

async fn pages_need_a_session_and_sessions_end(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let anonymous = app.get("/?hide_empty=on").await;
    assert_eq!(anonymous.status(), 302);
    assert_eq!(anonymous.headers()["location"], "/login?next=/%3Fhide_empty%3Don");

    let client = app.signed_in(Role::Viewer).await;
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 200);
    // Idle for longer than the idle timeout (8 hours by default).
    sqlx::query("UPDATE sessions SET last_seen_at_ms = last_seen_at_ms - 9 * 3600 * 1000")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 302);

    let client = app.signed_in(Role::Viewer).await;
    sqlx::query("UPDATE sessions SET expires_at_ms = 0").execute(app.db.pool()).await.unwrap();
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 302, "past the absolute timeout");

    let client = app.signed_in(Role::Viewer).await;
    assert_eq!(app.call(&client, "/api/logout", &[]).await.status(), 200);
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 302, "signed out");
}

async fn changing_the_password_needs_the_old_one_and_ends_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (email, password) = app.operator(Role::Operator).await;
    let (laptop, phone) = (cookie_client(), cookie_client());
    app.sign_in(&laptop, &email, &password).await;
    app.sign_in(&phone, &email, &password).await;
    let wrong = app
        .call(
            &laptop,
            "/api/change_password",
            &[("current", "not it at all"), ("new", "new password 123"), ("repeat", "new password 123")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let short = app
        .call(
            &laptop,
            "/api/change_password",
            &[("current", &password), ("new", "short"), ("repeat", "short")],
        )
        .await;
    assert_eq!(short.status(), 422);
    let changed = app
        .call(
            &laptop,
            "/api/change_password",
            &[("current", &password), ("new", "new password 123"), ("repeat", "new password 123")],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(laptop.get(app.url("/")).send().await.unwrap().status(), 200, "this session goes on");
    assert_eq!(phone.get(app.url("/")).send().await.unwrap().status(), 302, "the other one ended");
    assert_eq!(app.sign_in(&cookie_client(), &email, &password).await.status(), 401);
    assert_eq!(app.sign_in(&cookie_client(), &email, "new password 123").await.status(), 200);
}

async fn cross_site_form_posts_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.signed_in(Role::Operator).await;
    let forged = client
        .post(app.url("/api/logout"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 200, "the session survived");
}

async fn the_first_admin_is_created_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    server::accounts::create_operator(
        &app.db,
        "Boss@Vendor.example",
        "Boss",
        Role::Admin,
        "a long enough password",
    )
    .await
    .unwrap();
    let again = server::accounts::create_operator(
        &app.db,
        "boss@vendor.example",
        "Boss",
        Role::Admin,
        "a long enough password",
    )
    .await;
    assert!(again.unwrap_err().to_string().contains("exists already"));
    assert!(
        server::accounts::create_operator(&app.db, "x@vendor.example", "X", Role::Admin, "short")
            .await
            .is_err()
    );
    assert_eq!(
        app.sign_in(&cookie_client(), "BOSS@vendor.example", "a long enough password").await.status(),
        200
    );
}

async fn admins_invite_operators_who_set_their_own_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.signed_in(Role::Admin).await;
    let invited = app
        .call(
            &admin,
            "/api/invite_operator",
            &[("email", "New.Hire@vendor.example"), ("name", "New Hire"), ("role", "operator")],
        )
        .await;
    assert_eq!(invited.status(), 200);
    let token: String = invited.json().await.unwrap();
    let duplicate = app
        .call(
            &admin,
            "/api/invite_operator",
            &[("email", "new.hire@vendor.example"), ("name", "Again"), ("role", "viewer")],
        )
        .await;
    assert_eq!(duplicate.status(), 422);
    let accounts: Vec<app::model::OperatorAccount> =
        app.call(&admin, "/api/list_operators", &[]).await.json().await.unwrap();
    let hire = accounts.iter().find(|a| a.email == "new.hire@vendor.example").unwrap().clone();
    assert!(hire.setup_pending && hire.active);
    assert_eq!(
        app.sign_in(&cookie_client(), "new.hire@vendor.example", "").await.status(),
        401,
        "no password yet"
    );

    let anyone = cookie_client();
    let mismatch = app
        .call(
            &anyone,
            "/api/complete_setup",
            &[("token", &token), ("password", "chosen password 1"), ("repeat", "other")],
        )
        .await;
    assert_eq!(mismatch.status(), 422);
    let done = app
        .call(
            &anyone,
            "/api/complete_setup",
            &[("token", &token), ("password", "chosen password 1"), ("repeat", "chosen password 1")],
        )
        .await;
    assert_eq!(done.status(), 200);
    let reused = app
        .call(
            &anyone,
            "/api/complete_setup",
            &[("token", &token), ("password", "another password 2"), ("repeat", "another password 2")],
        )
        .await;
    assert_eq!(reused.status(), 422, "a setup link works once");
    let hired = cookie_client();
    assert_eq!(app.sign_in(&hired, "new.hire@vendor.example", "chosen password 1").await.status(), 200);
    assert_eq!(hired.get(app.url("/orders")).send().await.unwrap().status(), 200);

    assert_eq!(
        app.call(&admin, "/api/set_operator_role", &[("id", &hire.id), ("role", "viewer")]).await.status(),
        200
    );
    assert_eq!(
        app.call(&hired, "/api/add_note", &[("subscription_id", "x"), ("body", "y")]).await.status(),
        403,
        "now a viewer"
    );
    assert_eq!(
        app.call(&admin, "/api/set_operator_active", &[("id", &hire.id), ("active", "false")]).await.status(),
        200
    );
    assert_eq!(
        hired.get(app.url("/orders")).send().await.unwrap().status(),
        302,
        "deactivated: sessions ended"
    );
    assert_eq!(
        app.sign_in(&cookie_client(), "new.hire@vendor.example", "chosen password 1").await.status(),
        401
    );
    assert_eq!(app.call(&hired, "/api/list_operators", &[]).await.status(), 401);
    assert_eq!(
        app.call(&app.signed_in(Role::Operator).await, "/api/list_operators", &[]).await.status(),
        403
    );

    let me: Option<app::model::Operator> = app.call(&admin, "/api/me", &[]).await.json().await.unwrap();
    let me = me.unwrap();
    assert_eq!(
        app.call(&admin, "/api/set_operator_active", &[("id", &me.id), ("active", "false")]).await.status(),
        409
    );
    assert_eq!(
        app.call(&admin, "/api/set_operator_role", &[("id", &me.id), ("role", "viewer")]).await.status(),
        409
    );
    let expired_token = {
        let invited = app
            .call(
                &admin,
                "/api/invite_operator",
                &[("email", "late@vendor.example"), ("name", "Late"), ("role", "viewer")],
            )
            .await;
        invited.json::<String>().await.unwrap()
    };
    sqlx::query("UPDATE operators SET setup_expires_at_ms = 0 WHERE email = 'late@vendor.example'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let late = app
        .call(
            &anyone,
            "/api/complete_setup",
            &[("token", &expired_token), ("password", "chosen password 1"), ("repeat", "chosen password 1")],
        )
        .await;
    assert_eq!(late.status(), 422, "an expired link does not work");
    let page = admin
        .get(app.url(&format!("/operators?setup={expired_token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("/setup?token={expired_token}")) && page.contains("New Hire"));
}

on_both_databases!(
    admins_invite_operators_who_set_their_own_password,
    signing_in_sets_a_fresh_http_only_lax_cookie,
    wrong_passwords_are_refused_then_rate_limited,
    a_browser_form_is_sent_back_with_the_error_or_on_to_its_page,
    pages_need_a_session_and_sessions_end,
    changing_the_password_needs_the_old_one_and_ends_other_sessions,
    cross_site_form_posts_are_refused,
    the_first_admin_is_created_once,
);
