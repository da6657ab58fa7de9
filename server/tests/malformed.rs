//! Every server function, called with every kind of malformed input by every kind of caller:
//! never a server error or a dropped connection, and nothing written.

use crate::support::{Backend, TestApp, cookie_client};
use app::model::Role;

on_both_databases!(every_server_function_refuses_malformed_input_without_harm);

/// The arguments server functions take, by name (see `app/src/api/`).
const FIELDS: [&str; 24] = [
    "email",
    "password",
    "repeat",
    "next",
    "current",
    "new",
    "token",
    "subscription_id",
    "name",
    "member_id",
    "id",
    "role",
    "active",
    "step_id",
    "done",
    "body",
    "assignee",
    "instance_url",
    "reason",
    "locale",
    "job_id",
    "product_id",
    "window_days",
    "up",
];

/// The tables whose rows a malformed call must leave alone (sessions and attempt counters are
/// the defences themselves; leases and sync runs belong to the background work).
const TABLES: [&str; 15] = [
    "orders",
    "events",
    "jobs",
    "operators",
    "products",
    "checklist_steps",
    "order_steps",
    "order_notes",
    "customers",
    "customer_tokens",
    "signups",
    "marketplace_tokens",
    "customer_projects",
    "project_invites",
    "captured_mails",
];

/// A request body and its content type.
struct Payload {
    what: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

fn form(pairs: &[(String, String)]) -> Vec<u8> {
    let mut url = reqwest::Url::parse("http://form.invalid/").expect("a URL");
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().as_bytes().to_vec()
}

fn payloads() -> Vec<Payload> {
    let urlencoded = "application/x-www-form-urlencoded";
    let named = |value: &dyn Fn(&str) -> String| -> Vec<(String, String)> {
        FIELDS.iter().map(|f| (f.to_string(), value(f))).collect()
    };
    let repeated: Vec<(String, String)> =
        named(&|_| "x".into()).into_iter().flat_map(|p| [p.clone(), p]).collect();
    let mut invalid_utf8 = b"email=\xff\xfe&subscription_id=%FF%FE&token=\xc3\x28&name=".to_vec();
    invalid_utf8.extend_from_slice(&[0xed, 0xa0, 0x80]);
    vec![
        Payload { what: "no body", content_type: urlencoded, body: Vec::new() },
        Payload {
            what: "JSON instead of a form",
            content_type: "application/json",
            body: br#"{"subscription_id": 7, "email": ["a"], "done": "yes", "query": {}}"#.to_vec(),
        },
        Payload {
            what: "JSON labelled as a form",
            content_type: urlencoded,
            body: br#"{"email":"a@b.example"}"#.to_vec(),
        },
        Payload { what: "invalid UTF-8", content_type: urlencoded, body: invalid_utf8 },
        Payload { what: "repeated fields", content_type: urlencoded, body: form(&repeated) },
        Payload {
            what: "wrong types",
            content_type: urlencoded,
            body: form(&named(&|f| match f {
                "done" | "up" | "active" => "perhaps".into(),
                "window_days" => "thirty".into(),
                _ => "\u{0}\u{202e}<script>".into(),
            })),
        },
        Payload {
            what: "36 KB in every field",
            content_type: urlencoded,
            body: form(&named(&|_| format!("{}{}", "é".repeat(1_000), "a".repeat(30_000)))),
        },
        Payload {
            what: "2 MB body",
            content_type: urlencoded,
            body: form(&[("body".into(), "a".repeat(2 << 20))]),
        },
    ]
}

async fn fingerprint(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        counts.push((table, sqlx::query_scalar::<_, i64>(&sql).fetch_one(app.db.pool()).await.unwrap()));
    }
    counts
}

/// A customer signed in through registration, as the sign-up page does it.
async fn customer(app: &TestApp) -> reqwest::Client {
    let client = cookie_client();
    let answer = app.register_customer(&client, "fuzz@customer.example", "a long enough password").await;
    assert_eq!(answer.status(), 200, "registering the customer");
    client
}

async fn every_server_function_refuses_malformed_input_without_harm(backend: Backend) {
    // Connected to a simulator with no orders, so that *Sync now* is a real call.
    let (app, _sim) = TestApp::spawn_with_stackit(backend).await;
    let callers = vec![
        ("nobody", cookie_client()),
        ("viewer", app.signed_in(Role::Viewer).await),
        ("operator", app.signed_in(Role::Operator).await),
        ("admin", app.signed_in(Role::Admin).await),
        ("customer", customer(&app).await),
    ];
    // Signing out takes no arguments, so any body is a valid call: those run last.
    let mut paths: Vec<(&str, http::Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    paths.sort_by_key(|(path, _)| (path.contains("logout"), *path));
    assert!(paths.len() >= 40, "the server functions are registered ({})", paths.len());
    // The customer's verification mail goes out in the background: wait for it.
    for _ in 0..100 {
        let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state <> 'done'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let before = fingerprint(&app).await;
    let payloads = payloads();
    let mut calls = 0;
    for (who, client) in &callers {
        for (path, method) in &paths {
            for payload in &payloads {
                let oversize = payload.body.len() > 1 << 20;
                let mut request = client
                    .request(method.clone(), app.url(path))
                    .header("accept", "application/json")
                    .header("content-type", payload.content_type)
                    .body(payload.body.clone());
                if oversize {
                    // Refused unread with 413, after which the server closes the connection.
                    request = request.header("connection", "close");
                }
                let status = match request.send().await {
                    Ok(answer) => answer.status(),
                    // The 413 can arrive while the client is still sending, which ends the upload.
                    Err(error) if oversize && error.is_request() => http::StatusCode::PAYLOAD_TOO_LARGE,
                    Err(error) => panic!("{who} {path} with {}: the connection broke: {error}", payload.what),
                };
                assert!(
                    !oversize || status == 413,
                    "{who} {path}: a body over the limit is refused ({status})"
                );
                assert!(
                    status.is_success() || status.is_client_error(),
                    "{who} {path} with {}: {status}",
                    payload.what
                );
                calls += 1;
            }
        }
    }
    assert_eq!(fingerprint(&app).await, before, "nothing was written by {calls} malformed calls");
}
