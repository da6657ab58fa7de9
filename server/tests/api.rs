//! The automation API over HTTP (`/api/v1`), as a vendor's script calls it: with a token from
//! `orderdesk api-token create`, orders listed and read as JSON; without one, or with one that is
//! malformed, unknown, wrong, revoked or expired, a 401 problem; a bad filter 422, an unknown
//! order 404, each in the one problem shape.

use app::model::{OrderDetail, Role};
use serde_json::Value;

use crate::support::{Backend, TestApp, vendor_client};
use server::accounts::api_tokens;
use server::jobs::sync::run_once;
use server::marketplace::simulator::{Simulator, SimulatorSettings};

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, Value) {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, response.json().await.unwrap_or(Value::Null))
}

fn is_problem(answer: &(u16, String, Value), status: u16, code: &str) -> bool {
    let (got, kind, body) = answer;
    *got == status && kind == "application/problem+json" && body["status"] == status && body["code"] == code
}

async fn a_token_reads_orders_and_nothing_else_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let settings = SimulatorSettings {
        seed_subscriptions: 60,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let token = api_tokens::create(&app.db, " provisioning ", Role::Operator, None).await.unwrap();
    assert!(token.starts_with("odk_"));

    // The inbox, a page at a time, in the inbox's order.
    let (status, _, first) = get(&app, "/api/v1/orders", Some(&token)).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["orders"].as_array().unwrap().len(), 50);
    let after = first["next"].as_str().unwrap();
    let (_, _, second) = get(&app, &format!("/api/v1/orders?after={after}"), Some(&token)).await;
    assert_eq!(second["orders"].as_array().unwrap().len(), 10);
    assert!(second["next"].is_null());
    let (_, _, active) = get(&app, "/api/v1/orders?state=SUBSCRIPTION_ACTIVE", Some(&token)).await;
    let active = active["orders"].as_array().unwrap();
    assert!(!active.is_empty() && active.iter().all(|o| o["state"] == "Active"), "{active:?}");

    // One order, as its page shows it.
    let id = first["orders"][0]["subscription_id"].as_str().unwrap();
    let (status, _, order) = get(&app, &format!("/api/v1/orders/{id}"), Some(&token)).await;
    assert_eq!(status, 200);
    let order: OrderDetail = serde_json::from_value(order).unwrap();
    assert_eq!(order.row.subscription_id, id);
    assert!(!order.steps.is_empty());

    // Everything else is one problem shape.
    assert!(is_problem(&get(&app, "/api/v1/orders/no-such-order", Some(&token)).await, 404, "not_found"));
    assert!(is_problem(&get(&app, "/api/v1/orders?state=NOPE", Some(&token)).await, 422, "invalid"));
    assert!(is_problem(&get(&app, "/api/v1/orders?after=!!", Some(&token)).await, 422, "invalid"));
    let (id_part, _) = token["odk_".len()..].split_at(12);
    let refused = [
        None,
        Some("odk_"),
        Some("not a token"),
        Some("odk_0123456789ab_guess"),
        Some(&*format!("odk_{id_part}_wrong-secret")),
        Some(&*format!("{token}x")),
    ];
    for presented in refused {
        let answer = get(&app, "/api/v1/orders", presented).await;
        assert!(is_problem(&answer, 401, "unauthorized"), "{presented:?}: {answer:?}");
    }
    let bare = reqwest::Client::new().get(app.url("/api/v1/orders")).send().await.unwrap();
    assert_eq!(bare.headers()["www-authenticate"], "Bearer");
    // A session cookie is not a token.
    let operator = app.signed_in(Role::Admin).await;
    assert_eq!(operator.get(app.url("/api/v1/orders")).send().await.unwrap().status(), 401);

    // Its use is noted; revoked or expired, it stops working; names are unique.
    let used: Option<i64> =
        sqlx::query_scalar("SELECT last_used_at_ms FROM api_tokens WHERE name = 'provisioning'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(used.is_some());
    let again = api_tokens::create(&app.db, "provisioning", Role::Viewer, None).await;
    assert!(matches!(again, Err(app::error::AppError::Conflict { .. })));
    assert!(api_tokens::create(&app.db, "root", Role::Admin, None).await.is_err(), "no admin tokens");
    api_tokens::revoke(&app.db, "provisioning").await.unwrap();
    assert!(is_problem(&get(&app, "/api/v1/orders", Some(&token)).await, 401, "unauthorized"));
    let dated = api_tokens::create(&app.db, "billing", Role::Viewer, Some(30)).await.unwrap();
    assert_eq!(get(&app, "/api/v1/orders", Some(&dated)).await.0, 200);
    sqlx::query("UPDATE api_tokens SET expires_at_ms = 1 WHERE name = 'billing'")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert!(is_problem(&get(&app, "/api/v1/orders", Some(&dated)).await, 401, "unauthorized"));
    let hashes: Vec<String> =
        sqlx::query_scalar("SELECT secret_hash FROM api_tokens").fetch_all(app.db.pool()).await.unwrap();
    assert!(hashes.iter().all(|h| !token.contains(h.as_str()) && !dated.contains(h.as_str())), "kept hashed");
}

/// The command line creates, lists and revokes tokens (a deployment's bootstrap).
async fn the_command_line_manages_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_orderdesk"))
            .args(["--database-url", app.database.url.expose()])
            .args(args)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let (ok, token) = run(&["api-token", "create", "--name", "provisioning", "--role", "operator"]);
    assert!(ok && token.trim().starts_with("odk_"), "{token}");
    assert_eq!(get(&app, "/api/v1/orders", Some(token.trim())).await.0, 200);
    let (ok, listed) = run(&["api-token", "list"]);
    assert!(ok && listed.contains("provisioning\toperator") && !listed.contains(token.trim()), "{listed}");
    assert!(!run(&["api-token", "create", "--name", "x", "--role", "admin"]).0, "no admin tokens");
    assert!(run(&["api-token", "revoke", "--name", "provisioning"]).0);
    assert!(!run(&["api-token", "revoke", "--name", "provisioning"]).0, "once");
    assert_eq!(get(&app, "/api/v1/orders", Some(token.trim())).await.0, 401);
}

on_both_databases!(a_token_reads_orders_and_nothing_else_does, the_command_line_manages_tokens);
