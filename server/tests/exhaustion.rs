//! The real `orderdesk` binary flooded with password work (each Argon2id hash holds 19 MiB):
//! made-up reset links and a burst of registrations from one address stay within a memory
//! figure a 512 MiB pod survives, are answered without a server error, and a real sign-in still
//! goes through meanwhile; then a hundred registrations from a hundred addresses (behind a
//! trusted proxy), each of which hashes, take turns at the hashing gate within the same figure.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Backend, TestDatabase};
use app::model::Role;

on_both_databases!(a_flood_of_bogus_resets_and_registrations_stays_within_memory);

/// The most resident memory the process may reach under the floods. Measured at 101–128 MB
/// after both (debug build, idle 52 MB); the first flood alone took the process without limits
/// and hashing gate to 1,355 MB.
const PEAK_RSS_LIMIT_MB: u64 = 200;

/// A field of `/proc/<pid>/status` in MB (`VmRSS`, or `VmHWM` for the peak).
fn memory_mb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the process's status");
    let line = status.lines().find(|l| l.starts_with(field)).expect("the field");
    let kib: u64 = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("a number");
    kib / 1024
}

async fn a_flood_of_bogus_resets_and_registrations_stays_within_memory(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_orderdesk"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--database-url", database.url.expose()])
        .args(["--data-dir", &database.folder.path().join("data").display().to_string()])
        .args(["--site-root", &database.folder.path().join("site").display().to_string()])
        .args(["--trusted-proxies", "127.0.0.1/32"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the orderdesk binary starts");
    let started = Instant::now();
    while reqwest::get(format!("{base}/readyz")).await.map(|r| r.status() != 200).unwrap_or(true) {
        assert!(started.elapsed() < Duration::from_secs(30), "orderdesk did not get ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let db = database.connect().await;
    let (email, password) = ("flood@vendor.example", "a long enough password");
    server::accounts::create_operator(&db, email, "Flood", Role::Admin, password).await.unwrap();
    let idle_mb = memory_mb(child.id(), "VmRSS");

    let http = reqwest::Client::new();
    let post_from = |from: String, path: &str, form: Vec<(&'static str, String)>| {
        let request = http
            .post(format!("{base}{path}"))
            .header("accept", "application/json")
            .header("x-forwarded-for", from)
            .form(&form);
        async move {
            match request.send().await {
                Ok(answer) => {
                    let waits = answer.headers().contains_key("retry-after");
                    (answer.status().as_u16(), waits)
                }
                Err(_) => (0, false),
            }
        }
    };
    let post = |path: &str, form: Vec<(&'static str, String)>| {
        let answer = post_from("198.51.100.1".into(), path, form);
        async move { answer.await.0 }
    };
    let secret = || "an attacker's password".to_string();
    let resets = (0..200).map(|n| {
        let form = vec![("token", format!("made-up-{n}")), ("password", secret()), ("repeat", secret())];
        post("/api/customer_reset", form)
    });
    let registrations = (0..200).map(|n| {
        let form =
            vec![("email", format!("bulk{n}@x.example")), ("password", secret()), ("repeat", secret())];
        post("/api/customer_register", form)
    });
    let sign_in = post("/api/login", vec![("email", email.into()), ("password", password.into())]);
    let (resets, registrations, signed_in) =
        tokio::join!(futures::future::join_all(resets), futures::future::join_all(registrations), sign_in);
    let first_peak_mb = memory_mb(child.id(), "VmHWM");

    let spread = (0..100).map(|n| {
        let form =
            vec![("email", format!("spread{n}@x.example")), ("password", secret()), ("repeat", secret())];
        post_from(format!("203.0.113.{n}"), "/api/customer_register", form)
    });
    let spread = futures::future::join_all(spread).await;
    let peak_mb = memory_mb(child.id(), "VmHWM");
    let _ = child.kill();
    let _ = child.wait();

    let tally = |statuses: &[u16]| {
        let mut counts = std::collections::BTreeMap::new();
        for s in statuses {
            *counts.entry(*s).or_insert(0) += 1;
        }
        counts
    };
    let spread_statuses: Vec<u16> = spread.iter().map(|(status, _)| *status).collect();
    eprintln!(
        "peak RSS {first_peak_mb} MB after one address's flood, {peak_mb} MB after a hundred addresses' \
         (idle {idle_mb} MB); resets {:?}; registrations {:?}; spread registrations {:?}",
        tally(&resets),
        tally(&registrations),
        tally(&spread_statuses)
    );
    assert_eq!(signed_in, 200, "a real sign-in goes through during the flood");
    assert!(resets.iter().all(|s| *s == 422), "made-up links are refused before hashing");
    assert!(registrations.iter().all(|s| matches!(s, 200 | 429)), "no server error, no dropped answer");
    let accepted = registrations.iter().filter(|s| **s == 200).count();
    // At most the limit; a burst counts its own attempts in flight, so fewer may get through.
    assert!(accepted <= 10, "registrations per address are limited ({accepted})");
    assert!(
        spread.iter().all(|(status, waits)| *status == 200 || (*status == 503 && *waits)),
        "each hashes in its turn, or is told when to come back: {spread_statuses:?}"
    );
    assert!(spread_statuses.iter().filter(|s| **s == 200).count() >= 10, "the gate lets work through");
    assert!(peak_mb < PEAK_RSS_LIMIT_MB, "peak RSS {peak_mb} MB");
}
