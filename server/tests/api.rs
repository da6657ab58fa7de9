//! The automation API over HTTP (`/api/v1`), as a vendor's script calls it: with a token from
//! `orderdesk api-token create`, orders listed and read as JSON; without one, or with one that is
//! malformed, unknown, wrong, revoked or expired, a 401 problem; a bad filter 422, an unknown
//! order 404, each in the one problem shape.

use app::model::Role;
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
    assert!(!active.is_empty() && active.iter().all(|o| o["state"] == "SUBSCRIPTION_ACTIVE"), "{active:?}");

    // One order, as its page shows it.
    let id = first["orders"][0]["subscription_id"].as_str().unwrap();
    let (status, _, order) = get(&app, &format!("/api/v1/orders/{id}"), Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(order["subscription_id"], id);
    assert_eq!(order["steps"][1]["key"], "provision", "{order}");
    assert!(order["ordered_at"].as_str().unwrap().ends_with('Z'), "RFC 3339 in UTC");

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
    let lower = reqwest::Client::new()
        .get(app.url("/api/v1/orders"))
        .header("authorization", format!("bearer {token}"));
    assert_eq!(lower.send().await.unwrap().status(), 200, "the scheme is case-insensitive");
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
    assert!(api_tokens::create(&app.db, "instant", Role::Viewer, Some(0)).await.is_err(), "at least a day");
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

async fn post(app: &TestApp, path: &str, token: &str, body: &str) -> (u16, String, Value) {
    let response = reqwest::Client::new()
        .post(app.url(path))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, response.json().await.unwrap_or(Value::Null))
}

/// The vendor's provisioning closes the loop: ticks a step, notes what it did and approves, as
/// the token; a viewer token may not, and bad bodies change nothing.
async fn an_operator_token_works_an_order_and_is_named_for_it(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = crate::support::place_order(
        &sim,
        "datavault-1a2b3c4d",
        "dv-starter-5e6f7a8b",
        Some("it@acme.example"),
    );
    let other = crate::support::place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let script = api_tokens::create(&app.db, "provisioning", Role::Operator, None).await.unwrap();
    let reader = api_tokens::create(&app.db, "reporting", Role::Viewer, None).await.unwrap();
    let (_, _, order) = get(&app, &format!("/api/v1/orders/{id}"), Some(&script)).await;
    assert_eq!(order["steps"][1]["key"], "provision");
    let base = format!("/api/v1/orders/{id}");

    // A viewer token reads but does not write; malformed bodies are 400; nothing changed.
    let tick = format!("{base}/steps/provision");
    assert!(is_problem(&post(&app, &tick, &reader, r#"{"done":true}"#).await, 403, "forbidden"));
    for body in ["", "{", r#"{"done":"yes"}"#, r#"{"done":true,"extra":1}"#, "[]"] {
        assert!(is_problem(&post(&app, &tick, &script, body).await, 400, "bad_request"), "{body:?}");
    }
    assert!(is_problem(
        &post(&app, &format!("{base}/steps/no-such-step"), &script, r#"{"done":true}"#).await,
        404,
        "not_found"
    ));
    // A step of another order is not this order's.
    let (_, _, theirs) = get(&app, &format!("/api/v1/orders/{other}"), Some(&script)).await;
    let their_step = theirs["steps"][0]["id"].as_str().unwrap();
    let crossed = post(&app, &format!("{base}/steps/{their_step}"), &script, r#"{"done":true}"#).await;
    assert!(is_problem(&crossed, 404, "not_found"), "{crossed:?}");
    // Paths and methods the API does not have are problems too.
    assert!(is_problem(&get(&app, "/api/v1/nothing-here", Some(&script)).await, 404, "not_found"));
    assert!(is_problem(&post(&app, "/api/v1/orders", &script, "{}").await, 405, "method_not_allowed"));
    assert!(is_problem(
        &post(&app, &format!("{base}/approve"), &script, r#"{"instance_url":"ftp://x"}"#).await,
        422,
        "invalid"
    ));
    assert!(is_problem(
        &post(&app, &format!("{base}/notes"), &script, r#"{"body":""}"#).await,
        422,
        "invalid"
    ));
    let (_, _, unchanged) = get(&app, &base, Some(&script)).await;
    assert!(unchanged["steps"].as_array().unwrap().iter().all(|s| s["done"] == false), "{unchanged}");
    assert!(unchanged["notes"].as_array().unwrap().is_empty());

    // The loop closed: tick, note, approve; the order answers as it is after each.
    let (status, _, ticked) = post(&app, &tick, &script, r#"{"done":true}"#).await;
    assert_eq!(status, 200, "{ticked}");
    assert_eq!(ticked["steps"][1]["done"], true);
    assert_eq!(ticked["steps"][1]["done_by"], "provisioning (API)");
    let (status, _, noted) =
        post(&app, &format!("{base}/notes"), &script, r#"{"body":"Tenant acme created."}"#).await;
    assert_eq!((status, noted["notes"][0]["body"].as_str()), (200, Some("Tenant acme created.")));
    let approval = r#"{"instance_url":"https://acme.datavault.example"}"#;
    let (status, _, approved) = post(&app, &format!("{base}/approve"), &script, approval).await;
    assert_eq!(status, 200, "{approved}");
    let (again, _, _) = post(&app, &format!("{base}/approve"), &script, approval).await;
    assert_eq!(again, 200, "a retried approval answers with the approval under way");
    crate::support::orders::eventually(
        std::time::Duration::from_secs(10),
        "the approval at STACKIT",
        || async { crate::support::orders::state_of(&app, &id).await == "SUBSCRIPTION_ACTIVE" },
    )
    .await;
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1, "exactly once at STACKIT");

    // Named for it in the timeline and the audit log, like any operator.
    let (_, _, done) = get(&app, &base, Some(&script)).await;
    let actors: Vec<&str> =
        done["timeline"].as_array().unwrap().iter().filter_map(|e| e["actor"].as_str()).collect();
    assert!(actors.iter().filter(|a| **a == "provisioning (API)").count() >= 3, "{actors:?}");
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE actor = 'token:provisioning'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(recorded >= 3);
    let admin = app.signed_in(Role::Admin).await;
    let audit = admin.get(app.url("/audit")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("provisioning (API)"), "the audit log names the token");
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

on_both_databases!(
    a_token_reads_orders_and_nothing_else_does,
    an_operator_token_works_an_order_and_is_named_for_it,
    the_command_line_manages_tokens,
);
