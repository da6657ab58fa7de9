//! The README's worked example, run as written: its shell script (curl and jq) is what the
//! vendor's webhook receiver runs for each event; on `order.created` it provisions (a stand-in
//! `create-tenant`), ticks the step by its key, notes it and approves, against an order placed at
//! the simulator. The loop closes at STACKIT, once, named for the token.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::model::Role;

use crate::support::orders::{eventually, state_of};
use crate::support::{Backend, TestApp, place_order, vendor_client};
use server::accounts::api_tokens;
use server::jobs::sync::run_once;

/// The script in the README, from the fenced block after its marker.
fn readme_script() -> String {
    let readme = include_str!("../../README.md");
    let after = readme.split_once("<!-- provision.sh").expect("the README's marker").1;
    let block = after.split_once("```sh\n").expect("its code block").1;
    block.split_once("```").expect("the block's end").0.to_string()
}

/// What each run of the script printed and how it ended: (event type, exit status, output, the
/// event's actor).
type Runs = Arc<Mutex<Vec<(String, Option<i32>, String, String)>>>;

/// Where the script reaches Orderdesk, and with which token: (URL, token), set once both exist.
type Target = Arc<Mutex<(String, String)>>;

/// A webhook receiver that runs the script with each event on its standard input.
async fn receiver(folder: std::path::PathBuf, target: Target) -> (String, Runs) {
    let runs: Runs = Arc::default();
    let record = runs.clone();
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let (record, folder) = (record.clone(), folder.clone());
            let (url, token) = target.lock().unwrap().clone();
            async move {
                let event =
                    headers.get("x-orderdesk-event").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let path = format!("{}:{}", folder.display(), std::env::var("PATH").unwrap_or_default());
                let mut child = tokio::process::Command::new("sh")
                    .arg(folder.join("provision.sh"))
                    .env("PATH", path)
                    .env("ORDERDESK_URL", url)
                    .env("ORDERDESK_TOKEN", token)
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                use tokio::io::AsyncWriteExt as _;
                let mut stdin = child.stdin.take().unwrap();
                stdin.write_all(body.as_bytes()).await.unwrap();
                drop(stdin);
                let output = child.wait_with_output().await.unwrap();
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
                let ok = output.status.success();
                let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                let actor = json["actor"].as_str().unwrap_or_default().to_string();
                record.lock().unwrap().push((event, output.status.code(), text, actor));
                if ok {
                    axum::http::StatusCode::NO_CONTENT
                } else {
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (hook, runs)
}

async fn the_readme_script_provisions_and_approves_on_the_webhook(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("provision.sh"), readme_script()).unwrap();
    let tenant = folder.path().join("create-tenant");
    std::fs::write(&tenant, "#!/bin/sh\necho \"https://$1.tenants.example\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&tenant, std::fs::Permissions::from_mode(0o755)).unwrap();

    let target = Target::default();
    let (hook, runs) = receiver(folder.path().to_path_buf(), target.clone()).await;
    let args =
        ["--webhook-url", hook.as_str(), "--webhook-secret", "hook secret", "--job-retry-base-ms", "50"];
    let (app, sim) = TestApp::spawn_with_stackit_and(backend, &args).await;
    let token = api_tokens::create(&app.db, "provisioning", Role::Operator, None).await.unwrap();
    *target.lock().unwrap() = (app.address.clone(), token);

    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", Some("it@acme.example"));
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    eventually(Duration::from_secs(30), "the script approved the order at STACKIT", || async {
        state_of(&app, &id).await == "SUBSCRIPTION_ACTIVE"
    })
    .await;
    eventually(Duration::from_secs(30), "the approval's event", || async {
        runs.lock().unwrap().iter().any(|run| run.0 == "order.approved")
    })
    .await;
    let runs = runs.lock().unwrap().clone();
    let created = runs.iter().find(|run| run.0 == "order.created").expect("the script ran");
    assert_eq!(created.1, Some(0), "{}", created.2);
    let printed = created.2.trim();
    assert!(
        printed == "SUBSCRIPTION_ACTIVE" || printed == "SUBSCRIPTION_PENDING",
        "it printed the order's state after the approval (active once STACKIT took it): {printed}"
    );
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1, "approved once at STACKIT");
    let approved = runs.iter().find(|run| run.0 == "order.approved").unwrap();
    assert_eq!(approved.3, "token:provisioning", "the webhook names the token");
    assert_eq!(created.3, "stackit");

    let order = server::db::orders::get(app.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!(order.instance_target.as_deref(), Some(&*format!("https://{id}.tenants.example")));
    let done_by: Option<String> = sqlx::query_scalar(
        "SELECT done_by_token FROM order_steps WHERE subscription_id = $1 AND step_key = 'provision'",
    )
    .bind(&id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(done_by.as_deref(), Some("provisioning"));
    let note: String = sqlx::query_scalar("SELECT body FROM order_notes WHERE subscription_id = $1")
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(note, format!("Tenant created at https://{id}.tenants.example."));
}

on_both_databases!(the_readme_script_provisions_and_approves_on_the_webhook);
