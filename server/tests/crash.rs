//! The real `orderdesk` binary: killed with SIGKILL in the middle of a burst of approvals, then
//! restarted on the same database, every approval reaches STACKIT exactly once; and two processes
//! on one database share the work without doubling any of it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Backend, TestDatabase, place_order};
use app::model::Role;
use server::marketplace::simulator::{Fault, FaultKind, Simulator, SimulatorHandle, SimulatorSettings};

const LIVE: (&str, &str) = ("datavault-1a2b3c4d", "dv-starter-5e6f7a8b");

on_both_databases!(a_killed_server_loses_and_repeats_no_approval, two_processes_share_one_database);

/// A port that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(database: &TestDatabase, sim: &SimulatorHandle, port: u16) -> Child {
    start_with(database, sim, port, &[])
}

fn start_with(database: &TestDatabase, sim: &SimulatorHandle, port: u16, extra: &[&str]) -> Child {
    let key_path = database.folder.path().join("vendor-key.json");
    std::fs::write(&key_path, sim.service_account_key_json()).unwrap();
    Command::new(env!("CARGO_BIN_EXE_orderdesk"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--database-url", database.url.expose()])
        .args(["--site-root", &database.folder.path().join("site").display().to_string()])
        .args(["--stackit-api-url", sim.base_url()])
        .args(["--stackit-vendor-project-id", &sim.vendor_project_id()])
        .args(["--stackit-service-account-key-path", &key_path.display().to_string()])
        .args(["--job-retry-base-ms", "100", "--job-lease-secs", "2", "--sync-interval-secs", "86400"])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the orderdesk binary starts")
}

async fn wait_ready(base: &str) {
    let started = Instant::now();
    while reqwest::get(format!("{base}/readyz")).await.map(|r| r.status() != 200).unwrap_or(true) {
        assert!(started.elapsed() < Duration::from_secs(30), "orderdesk did not get ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn signed_in(base: &str, email: &str, password: &str) -> reqwest::Client {
    let http = crate::support::cookie_client();
    let answer = http
        .post(format!("{base}/api/login"))
        .header("accept", "application/json")
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    http
}

/// Asks for an approval; the status, or None when the server died under the request.
async fn approve(http: &reqwest::Client, base: &str, id: &str) -> Option<u16> {
    let form = [("subscription_id", id)];
    let sent =
        http.post(format!("{base}/api/approve_order")).header("accept", "application/json").form(&form);
    sent.send().await.ok().map(|r| r.status().as_u16())
}

async fn a_killed_server_loses_and_repeats_no_approval(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let settings = SimulatorSettings { record_exchanges: false, ..SimulatorSettings::for_tests() };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    let ids: Vec<String> = (0..20).map(|_| place_order(&sim, LIVE.0, LIVE.1, None)).collect();
    let db = database.connect().await;
    db.migrate().await.unwrap();
    let (email, password) = ("crash@vendor.example", "crash test password 1");
    server::accounts::create_operator(&db, email, "Crash", Role::Operator, password).await.unwrap();
    // Every approval takes a while at STACKIT, so the kill lands with some in flight.
    sim.inject(Fault {
        method: Some("POST".into()),
        fraction: Some(1.0),
        count: None,
        ..Fault::next(FaultKind::Latency { millis: 150 }, 0)
    });

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&database, &sim, port);
    wait_ready(&base).await;
    let operator = signed_in(&base, email, password).await;
    // The process syncs at start; wait until it knows every order.
    let started = Instant::now();
    while server::db::orders::pending_ids(db.pool()).await.unwrap().len() < ids.len() {
        assert!(started.elapsed() < Duration::from_secs(30), "the first sync did not finish");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let burst: Vec<_> = ids
        .iter()
        .map(|id| {
            let (http, base, id) = (operator.clone(), base.clone(), id.clone());
            tokio::spawn(async move { approve(&http, &base, &id).await })
        })
        .collect();
    // Kill it once a few approvals have reached STACKIT, with others queued or on the wire.
    let started = Instant::now();
    loop {
        let reached: u32 = ids.iter().map(|id| sim.state().get(id).unwrap().approve_calls).sum();
        if reached >= 3 || started.elapsed() > Duration::from_secs(20) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let mut answered = Vec::new();
    for call in burst {
        answered.push(call.await.unwrap());
    }
    let recorded_before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = 'order.approved'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(recorded_before < ids.len() as i64, "the kill came in the middle of the burst");

    // Restarted on the same database, it finishes the queued ones; the operator repeats the
    // clicks whose answers were lost, which the claim refuses for every order already queued.
    let mut server = start(&database, &sim, port);
    wait_ready(&base).await;
    let operator = signed_in(&base, email, password).await;
    for (id, status) in ids.iter().zip(&answered) {
        if *status != Some(200) {
            let again = approve(&operator, &base, id).await;
            assert!(matches!(again, Some(200 | 409)), "{again:?}");
        }
    }
    let started = Instant::now();
    loop {
        let active = ids
            .iter()
            .filter(|id| sim.state().get(id).unwrap().wire.state() == app::model::LifecycleState::Active);
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'stackit.decision' AND state IN ('queued', 'running')",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        if active.count() == ids.len() && open == 0 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "not every approval completed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Its job runner keeps going, and the liveness probe says so.
    let alive: serde_json::Value =
        reqwest::get(format!("{base}/healthz")).await.unwrap().json().await.unwrap();
    assert_eq!(
        (alive["status"].as_str(), alive["worker"].as_str()),
        (Some("ok"), Some("running")),
        "{alive}"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    for id in &ids {
        assert_eq!(sim.state().get(id).unwrap().approve_calls, 1, "exactly one approve call for {id}");
    }
    let approved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = 'order.approved'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(approved, ids.len() as i64, "each approval recorded once");
}

async fn two_processes_share_one_database(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let settings = SimulatorSettings { record_exchanges: false, ..SimulatorSettings::for_tests() };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    let ids: Vec<String> = (0..10).map(|_| place_order(&sim, LIVE.0, LIVE.1, None)).collect();
    let db = database.connect().await;
    db.migrate().await.unwrap();
    let (email, password) = ("replicas@vendor.example", "replica test password 1");
    server::accounts::create_operator(&db, email, "Replicas", Role::Operator, password).await.unwrap();

    let poll = ["--pending-poll-secs", "1"];
    let ports = [free_port(), free_port()];
    let mut servers: Vec<Child> =
        ports.iter().map(|port| start_with(&database, &sim, *port, &poll)).collect();
    let bases: Vec<String> = ports.iter().map(|port| format!("http://127.0.0.1:{port}")).collect();
    for base in &bases {
        wait_ready(base).await;
    }
    let started = Instant::now();
    while server::db::orders::pending_ids(db.pool()).await.unwrap().len() < ids.len() {
        assert!(started.elapsed() < Duration::from_secs(30), "the first sync did not finish");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Every order approved through both processes at once: one approve call each.
    let mut calls = Vec::new();
    for base in &bases {
        let operator = signed_in(base, email, password).await;
        for id in &ids {
            let (http, base, id) = (operator.clone(), base.clone(), id.clone());
            calls.push(tokio::spawn(async move { approve(&http, &base, &id).await }));
        }
    }
    let mut won = 0;
    for call in calls {
        let status = call.await.unwrap();
        assert!(matches!(status, Some(200 | 409)), "{status:?}");
        won += usize::from(status == Some(200));
    }
    assert_eq!(won, ids.len(), "one click per order wins");
    for id in &ids {
        assert_eq!(sim.state().get(id).unwrap().approve_calls, 1, "one approve call for {id}");
    }

    // The pending poll (every second) and the full sync (at start) ran once per tick in all,
    // never two at once.
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    for server in &mut servers {
        server.kill().unwrap();
        server.wait().unwrap();
    }
    let pending = server::db::leases::runs(db.pool(), "pending").await.unwrap();
    let holders: std::collections::HashSet<&str> = pending.iter().map(|r| r.holder.as_str()).collect();
    assert!(pending.len() >= 3, "{} pending polls", pending.len());
    let span = pending.last().unwrap().started_at_ms - pending[0].started_at_ms;
    assert!(pending.len() as i64 <= span / 1000 + 2, "{} polls in {span} ms: none doubled", pending.len());
    let finished: Vec<_> = pending.iter().filter(|r| r.finished_at_ms.is_some()).collect();
    for pair in finished.windows(2) {
        assert!(pair[1].started_at_ms >= pair[0].finished_at_ms.unwrap(), "polls never overlap: {pair:?}");
    }
    let full = server::db::leases::runs(db.pool(), "full").await.unwrap();
    assert_eq!(full.len(), 1, "one full sync at start, not one per process: {full:?}");
    assert!(!holders.is_empty());
}
