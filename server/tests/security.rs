//! The public edge attacked over HTTP: sign-in guesses in parallel and from behind a proxy,
//! redirect targets that try to leave the site or break the answer, and arguments that are
//! missing, ill-typed or absurd.

use std::time::Duration;

use crate::support::{Backend, TestApp, cookie_client};
use app::model::Role;

on_both_databases!(
    parallel_guesses_are_checked_at_most_five_times_and_the_owner_still_gets_in,
    guesses_slow_down_instead_of_locking_the_account,
    forwarded_addresses_count_only_from_trusted_proxies,
    redirect_targets_stay_on_this_site_and_never_break_the_answer,
    a_missing_argument_is_a_bad_request,
    hsts_is_sent_only_for_an_https_public_url,
    credential_cookies_carry_the_host_prefix_when_secure,
);

/// Posts the operator sign-in form as a script would, as the client a proxy forwards.
async fn sign_in_from(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .header("x-forwarded-for", forwarded)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("POST /api/login")
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"].to_str().unwrap().parse().unwrap()
}

async fn parallel_guesses_are_checked_at_most_five_times_and_the_owner_still_gets_in(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--trusted-proxies", "127.0.0.1/32"]).await;
    let (email, password) = app.operator(Role::Admin).await;
    let guesses =
        (0..50).map(|_| sign_in_from(&app, &app.client, "203.0.113.66", &email, "a wrong password"));
    let answers = futures::future::join_all(guesses).await;
    let checked = answers.iter().filter(|r| r.status() == 401).count();
    let refused: Vec<_> = answers.iter().filter(|r| r.status() == 429).collect();
    assert!(checked <= 5, "{checked} passwords were checked");
    assert_eq!(checked + refused.len(), 50, "every guess was checked or refused");
    assert!(refused.iter().all(|r| retry_after(r) >= 1), "each refusal says when to come back");

    eprintln!("50 parallel wrong passwords: {checked} checked, {} refused with 429", refused.len());

    // The attacker's address soon waits, even with the right password; the admin at their own
    // desk does not.
    let mut tries = 0;
    while sign_in_from(&app, &app.client, "203.0.113.66", &email, "a wrong password").await.status() == 401 {
        tries += 1;
        assert!(checked + tries <= 5, "more than five guesses were checked");
    }
    let from_attacker = sign_in_from(&app, &app.client, "203.0.113.66", &email, &password).await;
    assert_eq!(from_attacker.status(), 429);
    let admin = cookie_client();
    assert_eq!(sign_in_from(&app, &admin, "198.51.100.20", &email, &password).await.status(), 200);
}

async fn guesses_slow_down_instead_of_locking_the_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (email, password) = app.operator(Role::Admin).await;
    let client = cookie_client();
    for _ in 0..5 {
        assert_eq!(app.sign_in(&client, &email, "a wrong password").await.status(), 401);
    }
    let waiting = app.sign_in(&client, &email, &password).await;
    assert_eq!(waiting.status(), 429, "the sixth attempt waits");
    let wait = retry_after(&waiting);
    assert!((1..=4).contains(&wait), "a short delay first, not the whole window ({wait} s)");
    tokio::time::sleep(Duration::from_secs(wait)).await;
    assert_eq!(
        app.sign_in(&client, &email, &password).await.status(),
        200,
        "after the delay, the owner gets in"
    );
}

async fn forwarded_addresses_count_only_from_trusted_proxies(backend: Backend) {
    // Without trusted proxies, a made-up X-Forwarded-For changes nothing: all these guesses come
    // from one address, whose cap (20 failures) is reached whatever the header says.
    let direct = TestApp::spawn(backend).await;
    for n in 0..20 {
        let answer = sign_in_from(
            &direct,
            &direct.client,
            &format!("192.0.2.{n}"),
            &format!("n{n}@x.example"),
            "wrong password!",
        )
        .await;
        assert_eq!(answer.status(), 401);
    }
    let capped =
        sign_in_from(&direct, &direct.client, "192.0.2.99", "n99@x.example", "wrong password!").await;
    assert_eq!(capped.status(), 429, "a spoofed header does not escape the address's cap");

    // Behind a trusted proxy, each forwarded client is counted on its own: one client's guesses
    // do not lock out everyone else behind the same ingress.
    let proxied = TestApp::spawn_with(backend, &["--trusted-proxies", "127.0.0.0/8"]).await;
    for _ in 0..21 {
        let answer =
            sign_in_from(&proxied, &proxied.client, "203.0.113.5", "nobody@x.example", "wrong password!")
                .await;
        assert!(matches!(answer.status().as_u16(), 401 | 429));
    }
    let (email, password) = proxied.operator(Role::Viewer).await;
    let neighbour = cookie_client();
    let answer = sign_in_from(&proxied, &neighbour, "6.6.6.6, 198.51.100.8", &email, &password).await;
    assert_eq!(answer.status(), 200, "another client behind the same ingress signs in");
}

/// Redirect targets a sign-in or the language switch must not follow: other hosts outright, and
/// characters browsers drop or rewrite (tab, newline, backslash) or that cannot be a header.
const HOSTILE_TARGETS: [&str; 10] = [
    "//evil.example",
    "/\t/evil.example/",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https://evil.example",
    "/ /evil.example",
    "/\u{2215}evil.example",
    "/\r\nSet-Cookie: orderdesk_session=planted",
];

async fn redirect_targets_stay_on_this_site_and_never_break_the_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (email, password) = app.operator(Role::Viewer).await;
    let location = |response: &reqwest::Response| {
        response.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
    };
    // As a browser posts a form: it follows the answer's Location.
    let post_form = |client: &reqwest::Client, path: &str, form: &[(&str, &str)]| {
        let request = client.post(app.url(path)).header("accept", "text/html").form(form);
        async move { request.send().await.unwrap() }
    };
    for next in HOSTILE_TARGETS {
        let client = cookie_client();
        let form = [("email", email.as_str()), ("password", password.as_str()), ("next", next)];
        let signed_in = post_form(&client, "/api/login", &form).await;
        assert!(signed_in.status().is_redirection(), "{next:?}: {}", signed_in.status());
        assert_eq!(location(&signed_in), "/", "after signing in with next={next:?}");
        let cookies: Vec<_> = signed_in.headers().get_all("set-cookie").iter().collect();
        assert!(!cookies.iter().any(|c| c.to_str().unwrap().contains("planted")), "{cookies:?}");

        let switched = post_form(&app.client, "/api/language", &[("locale", "de"), ("next", next)]).await;
        assert!(switched.status().is_redirection(), "{next:?}: {}", switched.status());
        assert_eq!(location(&switched), "/", "after the language switch with next={next:?}");
    }
    let kept = post_form(
        &app.client,
        "/api/language",
        &[("locale", "en"), ("next", "/orders?state=SUBSCRIPTION_PENDING")],
    )
    .await;
    assert_eq!(location(&kept), "/orders?state=SUBSCRIPTION_PENDING", "a path on this site is kept");
}

async fn a_missing_argument_is_a_bad_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.signed_in(Role::Operator).await;
    let answer = app.call(&operator, "/api/approve_order", &[]).await;
    assert_eq!(answer.status(), 400);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["kind"], "bad_request", "{body}");
    let ill_typed = app
        .call(&operator, "/api/set_step", &[("subscription_id", "x"), ("step_id", "y"), ("done", "maybe")])
        .await;
    assert_eq!(ill_typed.status(), 400);
    // PostgreSQL cannot hold a NUL in text: refused at the edge, in a form, a query or a path.
    let nul_note = app.call(&operator, "/api/add_note", &[("subscription_id", "x"), ("body", "a\0b")]).await;
    assert_eq!(nul_note.status(), 400);
    for path in ["/orders?q=%00", "/orders/%00", "/audit?action=%00"] {
        let answer = operator.get(app.url(path)).send().await.unwrap();
        assert_eq!(answer.status(), 400, "{path}");
    }
}

async fn credential_cookies_carry_the_host_prefix_when_secure(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--public-url", "https://orders.vendor.example"]).await;
    let (email, password) = app.operator(Role::Viewer).await;
    let answer = app.sign_in(&app.client, &email, &password).await;
    let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-orderdesk_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    let me = |cookie: String| {
        let request =
            app.client.post(app.url("/api/me")).header("accept", "application/json").header("cookie", cookie);
        async move { request.send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
    };
    assert_eq!(me(format!("__Host-orderdesk_session={token}")).await["email"], email.as_str());
    assert!(
        me(format!("orderdesk_session={token}")).await.is_null(),
        "a cookie without the prefix is not read"
    );

    // On plain http to this machine the names stay plain (browsers refuse __Host- there).
    let local = TestApp::spawn(backend).await;
    let (email, password) = local.operator(Role::Viewer).await;
    let cookie = local.sign_in(&local.client, &email, &password).await.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("orderdesk_session=") && !cookie.contains("Secure"), "{cookie}");
}

async fn hsts_is_sent_only_for_an_https_public_url(backend: Backend) {
    let plain = TestApp::spawn(backend).await;
    assert!(plain.get("/login").await.headers().get("strict-transport-security").is_none());
    let https = TestApp::spawn_with(backend, &["--public-url", "https://orders.vendor.example"]).await;
    let answer = https.get("/login").await;
    assert_eq!(answer.headers()["strict-transport-security"], "max-age=63072000");
}
