//! The automation API's contract: the committed OpenAPI document is what the code generates and
//! what the server serves; a retried write with its `Idempotency-Key` is done once; each token has
//! its rate limit; every endpoint answers every token role (and none) as documented; and the
//! writes the provisioning loop does not need (contact, assignee, reject, sync) work through it.

use app::model::Role;
use serde_json::Value;

use crate::support::{Backend, TestApp, place_order, vendor_client};
use server::accounts::api_tokens;
use server::jobs::sync::run_once;

const LIVE: (&str, &str) = ("datavault-1a2b3c4d", "dv-starter-5e6f7a8b");
const PREVIEW: (&str, &str) = ("insight-0a1b2c3d", "in-trial-4d5e6f7a");

/// A request's status, headers and JSON body.
async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    key: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, app.url(path));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, headers, response.json().await.unwrap_or(Value::Null))
}

#[test]
fn the_committed_openapi_document_is_what_the_code_generates() {
    let generated = server::api_v1::openapi::document();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json differs from the code; regenerate it with \
         `UPDATE_OPENAPI=1 cargo test -p server --test integration openapi_document`"
    );
    let document: Value = serde_json::from_str(&generated).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/orders/{id}/steps/{step}", "/api/v1/sync"]
    {
        assert!(document["paths"][path].is_object(), "{path} is documented");
    }
}

/// Writes sent again with their key are answered as the first time and done once; a key is one
/// request's, and each token's own.
async fn a_retried_write_with_its_key_is_done_once(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, Some("it@acme.example"));
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let script = api_tokens::create(&app.db, "provisioning", Role::Operator, None).await.unwrap();
    let other = api_tokens::create(&app.db, "ticketing", Role::Operator, None).await.unwrap();
    let notes = format!("/api/v1/orders/{id}/notes");
    let note = r#"{"body":"Tenant created."}"#;

    let first = send(&app, "POST", &notes, Some(&script), Some(note), Some("note-1")).await;
    assert_eq!(first.0, 200, "{}", first.2);
    assert!(first.1.get("idempotent-replayed").is_none());
    let again = send(&app, "POST", &notes, Some(&script), Some(note), Some("note-1")).await;
    assert_eq!((again.0, &again.2), (200, &first.2), "the first answer again");
    assert_eq!(again.1["idempotent-replayed"], "true");
    let reused =
        send(&app, "POST", &notes, Some(&script), Some(r#"{"body":"Other."}"#), Some("note-1")).await;
    assert_eq!((reused.0, reused.2["field"].as_str()), (422, Some("Idempotency-Key")), "{}", reused.2);
    let elsewhere = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{id}/steps/provision"),
        Some(&script),
        Some(r#"{"done":true}"#),
        Some("note-1"),
    )
    .await;
    assert_eq!(elsewhere.0, 422, "a key names one request, path included");
    let theirs = send(&app, "POST", &notes, Some(&other), Some(note), Some("note-1")).await;
    assert_eq!(theirs.0, 200, "another token's keys are its own");
    assert!(theirs.1.get("idempotent-replayed").is_none());
    for bad in ["", &"k".repeat(256), "with space", "ünïcode"] {
        let request = reqwest::Client::new()
            .post(app.url(&notes))
            .header("authorization", format!("Bearer {script}"))
            .header("idempotency-key", reqwest::header::HeaderValue::from_bytes(bad.as_bytes()).unwrap())
            .body(note);
        assert_eq!(request.send().await.unwrap().status(), 400, "{bad:?}");
    }
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_notes WHERE subscription_id = $1")
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 2, "one note per key and token, none for refused requests");

    // A key claimed by a request still being answered: the same request waits (409), another is
    // refused (422); a claim whose request died long ago is taken again.
    let token_id = "token:provisioning";
    let hash = |path: &str, body: &str| {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::new().chain_update(path).chain_update([0]).chain_update(body).finalize())
    };
    let now = server::db::now_ms();
    for (key, age) in [("busy", 0), ("dead", server::db::idempotency::UNANSWERED_MS + 1_000)] {
        sqlx::query("INSERT INTO api_idempotency (token_id, key, request_hash, created_at_ms) VALUES ($1, $2, $3, $4)")
            .bind(token_id)
            .bind(key)
            .bind(hash(&notes, note))
            .bind(now - age)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
    let waiting = send(&app, "POST", &notes, Some(&script), Some(note), Some("busy")).await;
    assert_eq!((waiting.0, waiting.2["code"].as_str()), (409, Some("conflict")), "{}", waiting.2);
    let mismatched = send(&app, "POST", &notes, Some(&script), Some(r#"{"body":"x"}"#), Some("busy")).await;
    assert_eq!(mismatched.0, 422);
    let taken_again = send(&app, "POST", &notes, Some(&script), Some(note), Some("dead")).await;
    assert_eq!(taken_again.0, 200, "{}", taken_again.2);

    // A refusal is kept too: the same retry is refused the same way, without asking again.
    let bad = send(&app, "POST", &notes, Some(&script), Some(r#"{"body":""}"#), Some("empty")).await;
    let bad_again = send(&app, "POST", &notes, Some(&script), Some(r#"{"body":""}"#), Some("empty")).await;
    assert_eq!(
        (bad.0, bad_again.0, &bad_again.1["idempotent-replayed"]),
        (422, 422, &"true".parse().unwrap())
    );

    // A token holds at most 10,000 keys: beyond, a write with a new key waits (without one, it
    // goes through).
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
         INSERT INTO api_idempotency (token_id, key, request_hash, status, body, created_at_ms)
         SELECT 'token:ticketing', 'filled-' || CAST(i AS TEXT), '', 200, '{}', $1 FROM n",
    )
    .bind(server::db::now_ms())
    .execute(app.db.pool())
    .await
    .unwrap();
    let full = send(&app, "POST", &notes, Some(&other), Some(note), Some("one-more")).await;
    assert_eq!((full.0, full.2["code"].as_str()), (429, Some("rate_limited")), "{}", full.2);
    assert!(full.1.get("retry-after").is_some());
    assert_eq!(send(&app, "POST", &notes, Some(&other), Some(note), None).await.0, 200);
    let replay = send(&app, "POST", &notes, Some(&other), Some(note), Some("note-1")).await;
    assert_eq!(
        (replay.0, &replay.1["idempotent-replayed"]),
        (200, &"true".parse().unwrap()),
        "a held key still replays"
    );

    // Approval with a key, sent three times: one decision at STACKIT.
    let approve = format!("/api/v1/orders/{id}/approve");
    for attempt in 0..3 {
        let (status, headers, _) =
            send(&app, "POST", &approve, Some(&script), None, Some("approve-acme")).await;
        assert_eq!(status, 200);
        assert_eq!(headers.get("idempotent-replayed").is_some(), attempt > 0, "the retries are replays");
    }
    crate::support::orders::eventually(std::time::Duration::from_secs(10), "the approval", || async {
        crate::support::orders::state_of(&app, &id).await == "SUBSCRIPTION_ACTIVE"
    })
    .await;
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1);
}

/// A token that asks too often waits, told how long; others do not.
async fn a_token_that_asks_too_often_waits(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--api-requests-per-minute", "5"]).await;
    let busy = api_tokens::create(&app.db, "busy", Role::Viewer, None).await.unwrap();
    let calm = api_tokens::create(&app.db, "calm", Role::Viewer, None).await.unwrap();
    for _ in 0..5 {
        assert_eq!(send(&app, "GET", "/api/v1/orders", Some(&busy), None, None).await.0, 200);
    }
    let (status, headers, body) = send(&app, "GET", "/api/v1/orders", Some(&busy), None, None).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")), "{body}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&wait), "one request every 12 s: {wait}");
    // Strangers are refused before any budget is counted: the calm token keeps all of its five.
    for _ in 0..10 {
        assert_eq!(
            send(&app, "GET", "/api/v1/orders", Some("odk_0123456789ab_guess"), None, None).await.0,
            401
        );
    }
    for _ in 0..5 {
        assert_eq!(send(&app, "GET", "/api/v1/orders", Some(&calm), None, None).await.0, 200);
    }
    assert_eq!(send(&app, "GET", "/api/v1/orders", Some(&calm), None, None).await.0, 429);
}

/// Every endpoint, with no token, a viewer's and an operator's: 401, reads only, everything.
async fn every_endpoint_answers_each_role_as_documented(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let live = place_order(&sim, LIVE.0, LIVE.1, None);
    let preview = place_order(&sim, PREVIEW.0, PREVIEW.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let viewer = api_tokens::create(&app.db, "reporting", Role::Viewer, None).await.unwrap();
    let operator = api_tokens::create(&app.db, "provisioning", Role::Operator, None).await.unwrap();
    let (_, staff) = {
        let (email, _) = app.operator(Role::Operator).await;
        let id: String = sqlx::query_scalar("SELECT id FROM operators WHERE email = $1")
            .bind(&email)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        (email, id)
    };
    let endpoints: Vec<(&str, String, Option<String>)> = vec![
        ("GET", "/api/v1/orders".into(), None),
        ("GET", format!("/api/v1/orders/{live}"), None),
        ("POST", format!("/api/v1/orders/{live}/steps/confirm"), Some(r#"{"done":true}"#.into())),
        ("POST", format!("/api/v1/orders/{live}/notes"), Some(r#"{"body":"Called them."}"#.into())),
        ("POST", format!("/api/v1/orders/{live}/contact"), Some(r#"{"email":"ops@acme.example"}"#.into())),
        ("POST", format!("/api/v1/orders/{live}/assignee"), Some(format!(r#"{{"assignee":"{staff}"}}"#))),
        (
            "POST",
            format!("/api/v1/orders/{preview}/reject"),
            Some(r#"{"reason":"Outside our region."}"#.into()),
        ),
        ("POST", format!("/api/v1/orders/{live}/approve"), None),
        ("POST", "/api/v1/sync".into(), None),
    ];
    for (method, path, body) in &endpoints {
        let none = send(&app, method, path, None, body.as_deref(), None).await;
        assert_eq!((none.0, none.2["code"].as_str()), (401, Some("unauthorized")), "{method} {path}");
        let read = send(&app, method, path, Some(&viewer), body.as_deref(), None).await;
        let expected = if *method == "GET" { 200 } else { 403 };
        assert_eq!(read.0, expected, "viewer: {method} {path}: {}", read.2);
    }
    let mut answers = Vec::new();
    for (method, path, body) in &endpoints {
        let (status, _, answer) = send(&app, method, path, Some(&operator), body.as_deref(), None).await;
        assert_eq!(status, 200, "operator: {method} {path}: {answer}");
        answers.push(answer);
    }
    // What each write did, as the order shows it afterwards.
    let (_, _, order) = send(&app, "GET", &format!("/api/v1/orders/{live}"), Some(&viewer), None, None).await;
    assert_eq!(order["steps"][0]["done_by"], "provisioning (API)");
    assert_eq!(order["notes"][0]["author"], "provisioning (API)");
    assert_eq!(
        (order["contact_email"].as_str(), order["contact_source"].as_str()),
        (Some("ops@acme.example"), Some("operator"))
    );
    assert_eq!(order["assignee_id"], staff);
    let (_, _, rejected) =
        send(&app, "GET", &format!("/api/v1/orders/{preview}"), Some(&viewer), None, None).await;
    assert!(
        rejected["decision"]["kind"] == "reject" || rejected["state"] == "SUBSCRIPTION_REJECTED",
        "{rejected}"
    );
    let synced = answers.last().unwrap();
    assert!(synced["unchanged"].as_u64().is_some(), "{synced}");
    // A live product's order is not rejected: a conflict, and STACKIT is not asked.
    let refused = send(
        &app,
        "POST",
        &format!("/api/v1/orders/{live}/reject"),
        Some(&operator),
        Some(r#"{"reason":"No."}"#),
        None,
    )
    .await;
    assert_eq!((refused.0, refused.2["code"].as_str()), (409, Some("conflict")), "{}", refused.2);
    assert_eq!(sim.state().get(&live).unwrap().reject_calls, 0);
    // The served document is the generated one, to anyone.
    let served = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().text().await.unwrap();
    assert_eq!(served, server::api_v1::openapi::document());
}

/// Paths that are not text, and wrong shapes, are problems as well.
async fn malformed_requests_are_problems(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = api_tokens::create(&app.db, "provisioning", Role::Operator, None).await.unwrap();
    let (status, _, body) = send(&app, "GET", "/api/v1/orders/%FF%FE", Some(&token), None, None).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")), "{body}");
    let (status, _, body) =
        send(&app, "POST", "/api/v1/orders/%FF/notes", Some(&token), Some(r#"{"body":"x"}"#), None).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")), "{body}");
    let (status, _, body) =
        send(&app, "POST", "/api/v1/orders/nope/notes", Some(&token), Some("\u{0}"), None).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")), "{body}");
    // Refused before the API: too large a body, a cross-site write.
    let large = format!(r#"{{"body":"{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let (status, headers, body) =
        send(&app, "POST", "/api/v1/orders/nope/notes", Some(&token), Some(&large), None).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("too_large")), "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    let over = format!(r#"{{"body":"{}"}}"#, "x".repeat(100 * 1024));
    let (status, _, body) =
        send(&app, "POST", "/api/v1/orders/nope/notes", Some(&token), Some(&over), None).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("too_large")), "the API's own 64 KiB: {body}");
    let crossed = reqwest::Client::new()
        .post(app.url("/api/v1/sync"))
        .header("authorization", format!("Bearer {token}"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(crossed.status(), 403);
    let body: Value = crossed.json().await.unwrap();
    assert_eq!(body["code"], "forbidden");
}

on_both_databases!(
    a_retried_write_with_its_key_is_done_once,
    a_token_that_asks_too_often_waits,
    every_endpoint_answers_each_role_as_documented,
    malformed_requests_are_problems,
);
