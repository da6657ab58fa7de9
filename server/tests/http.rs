//! The running application over HTTP: health, pages, errors, limits and security headers.

use crate::support::{Backend, TestApp, order};
use app::model::Role;
use leptos::server_fn::ServerFn as _;
use server::db::orders;

async fn health_and_readiness_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alive = app.get("/healthz").await;
    assert_eq!(alive.status(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["database"], "ok");

    app.db.pool().close().await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 200, "alive even when the database is not");
}

async fn the_overview_shows_order_counts_from_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (n, state) in
        ["SUBSCRIPTION_PENDING", "SUBSCRIPTION_PENDING", "SUBSCRIPTION_PENDING", "SUBSCRIPTION_CANCELLED"]
            .into_iter()
            .enumerate()
    {
        orders::upsert(app.db.pool(), &order(&format!("00000000-0000-4000-8000-00000000000{n}"), state))
            .await
            .unwrap();
    }
    let viewer = app.signed_in(Role::Viewer).await;
    let page = viewer.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<title>Overview · Orderdesk</title>"), "{html}");
    let pending = html.find("Waiting for setup and approval").expect("the pending summary");
    assert!(html[pending..].contains(">3<"), "three pending orders");
    assert!(html.contains("Cancelled"));

    let hidden = viewer.get(app.url("/?hide_empty=on")).send().await.unwrap().text().await.unwrap();
    assert!(hidden.contains("Cancelled") && !hidden.contains("Suspended"), "only states with orders");
}

async fn the_counts_server_function_answers_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    orders::upsert(app.db.pool(), &order("10000000-0000-4000-8000-000000000001", "SUBSCRIPTION_ACTIVE"))
        .await
        .unwrap();
    let anonymous = app
        .client
        .post(app.url(app::api::dashboard::GetOrderCounts::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let response = app
        .signed_in(Role::Viewer)
        .await
        .post(app.url(app::api::dashboard::GetOrderCounts::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let counts: serde_json::Value = response.json().await.unwrap();
    assert_eq!(counts, serde_json::json!([{ "state": "Active", "count": 1 }]));
}

async fn an_unknown_page_is_a_404_with_a_helpful_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page not found") && html.contains("Back to the overview"));
}

async fn a_database_outage_is_a_503_page_without_internals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let viewer = app.signed_in(Role::Viewer).await;
    app.db.pool().close().await;
    let response = viewer.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    let html = response.text().await.unwrap();
    assert!(html.contains("temporarily unavailable"), "{html}");
    assert!(!html.to_lowercase().contains("pool") && !html.contains("sqlx"), "no internals: {html}");

    let response = viewer
        .post(app.url(app::api::dashboard::GetOrderCounts::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "kind": "unavailable" })
    );
}

async fn every_page_carries_the_security_headers_and_a_nonce_on_its_scripts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/login").await;
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
    let policy = header("content-security-policy").expect("a CSP");
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce");
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");

    let second = app.get("/login").await.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert_ne!(second, policy, "a fresh nonce per response");
    assert!(app.get("/healthz").await.headers().contains_key("content-security-policy"));
}

async fn an_oversized_request_body_is_refused_with_413(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .client
        .post(app.url(app::api::dashboard::GetOrderCounts::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

async fn responses_are_compressed_when_the_client_accepts_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.client.get(app.url("/login")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
}

on_both_databases!(
    health_and_readiness_answer,
    the_overview_shows_order_counts_from_the_database,
    the_counts_server_function_answers_json,
    an_unknown_page_is_a_404_with_a_helpful_page,
    a_database_outage_is_a_503_page_without_internals,
    every_page_carries_the_security_headers_and_a_nonce_on_its_scripts,
    an_oversized_request_body_is_refused_with_413,
    responses_are_compressed_when_the_client_accepts_it,
);
