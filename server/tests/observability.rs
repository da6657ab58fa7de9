//! What others see of Orderdesk: `/metrics` and the signed order-event webhook.

use std::time::Duration;

use crate::support::orders::{LIVE, approve, eventually};
use crate::support::{Backend, TestApp, place_order, vendor_client};
use app::model::Role;
use server::jobs::sync::run_once;

on_both_databases!(metrics_count_requests_orders_and_jobs, order_events_reach_the_webhook_signed_and_once,);

/// What a webhook receiver saw: (headers we check, body, the status it answered).
type Received = std::sync::Arc<std::sync::Mutex<Vec<(String, String, String, String, u16)>>>;

/// A receiver that answers 500 to its first `failures` requests, then 204.
async fn webhook_receiver(failures: usize) -> (String, Received) {
    use axum::http::HeaderMap;
    let seen: Received = Default::default();
    let record = seen.clone();
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let record = record.clone();
            async move {
                let header = |name: &str| {
                    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
                };
                let mut seen = record.lock().unwrap();
                let status = if seen.len() < failures { 500 } else { 204 };
                seen.push((
                    header("x-orderdesk-event"),
                    header("x-orderdesk-delivery"),
                    format!("{}|{}", header("x-orderdesk-timestamp"), header("x-orderdesk-signature")),
                    body,
                    status,
                ));
                axum::http::StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, seen)
}

async fn metrics_count_requests_orders_and_jobs(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    assert_eq!(app.get("/healthz").await.status(), 200);
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(text.contains("# TYPE orderdesk_http_requests_total counter"), "{text}");
    assert!(text.contains(r#"orderdesk_http_requests_total{route="/healthz",status="200"}"#), "{text}");
    assert!(text.contains("# TYPE orderdesk_http_request_duration_seconds histogram"), "{text}");
    assert!(
        text.contains(r#"orderdesk_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"}"#),
        "{text}"
    );
    assert!(text.contains(r#"orderdesk_http_request_duration_seconds_count{route="/healthz"}"#), "{text}");
    assert!(text.contains("# TYPE orderdesk_sync_duration_seconds histogram"), "{text}");
    assert!(text.contains(r#"orderdesk_orders{state="SUBSCRIPTION_PENDING"} 1"#), "{text}");
    assert!(text.contains(r#"orderdesk_vendor_api_calls_total{endpoint="list",outcome="ok"}"#), "{text}");
    assert!(text.contains("orderdesk_jobs_oldest_age_seconds"), "{text}");

    // With a token configured, scrapers must bring it.
    let (locked, _sim) = TestApp::spawn_with_stackit_and(backend, &["--metrics-token", "s3cret"]).await;
    assert_eq!(locked.get("/metrics").await.status(), 401);
    let scraped = locked.client.get(locked.url("/metrics")).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(scraped.status(), 200);
}

async fn order_events_reach_the_webhook_signed_and_once(backend: Backend) {
    let (url, seen) = webhook_receiver(2).await;
    let args =
        ["--webhook-url", url.as_str(), "--webhook-secret", "hook secret", "--job-retry-base-ms", "50"];
    let (app, sim) = TestApp::spawn_with_stackit_and(backend, &args).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, Some("it@acme.example"));
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    assert_eq!(approve(&app, &operator, &id).await, 200);

    let delivered = |seen: &Received| {
        let seen = seen.lock().unwrap();
        seen.iter().filter(|r| r.4 == 204).map(|r| r.0.clone()).collect::<Vec<_>>()
    };
    eventually(Duration::from_secs(30), "created, state change and approval are delivered", || async {
        let events = delivered(&seen);
        ["order.created", "order.state_changed", "order.approved"]
            .iter()
            .all(|e| events.iter().any(|d| d == e))
    })
    .await;
    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().take(2).all(|r| r.4 == 500), "the first two attempts failed and were retried");
    let mut ids: Vec<&String> = seen.iter().filter(|r| r.4 == 204).map(|r| &r.1).collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "each event delivered once");
    for (event, _, stamp, body, _) in &seen {
        let (timestamp, signature) = stamp.split_once('|').unwrap();
        let expected = server::webhooks::signature("hook secret", timestamp.parse().unwrap(), body);
        assert_eq!(signature, expected, "signed: {event}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["type"], event.as_str());
        assert_eq!(json["subscription_id"], id.as_str());
    }
    let approved = seen.iter().find(|r| r.0 == "order.approved").unwrap();
    let json: serde_json::Value = serde_json::from_str(&approved.3).unwrap();
    assert_eq!(json["order"]["contact_email"], "it@acme.example");

    // Admins see the deliveries in the outbox.
    let admin = app.signed_in(Role::Admin).await;
    let outbox: serde_json::Value = app.call(&admin, "/api/outbox", &[]).await.json().await.unwrap();
    assert_eq!(outbox["webhook_url"], url.as_str());
    assert!(outbox["deliveries"].as_array().unwrap().iter().any(|d| d["event"] == "order.approved"));
}
