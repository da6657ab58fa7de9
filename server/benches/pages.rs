//! Every operator page at scale, measured from outside as a vendor meets it: the release
//! `orderdesk` binary and `orderdesk simulator --seed N` as two processes, the first full sync
//! timed from start, then each page under concurrent clients over HTTP, with the process's
//! resident memory after the sync and after the load, and the time to ready on the filled
//! database. On SQLite, and on PostgreSQL too when `BENCH_POSTGRES_URL` names a server (a fresh
//! database is created there and dropped after):
//!
//! ```sh
//! cargo bench -p server --bench pages
//! scripts/with-postgres sh -c 'BENCH_POSTGRES_URL=$TEST_DATABASE_URL cargo bench -p server --bench pages'
//! ```
//!
//! `BENCH_ORDERS` (default 100,000), `BENCH_REQUESTS` per page (400) and `BENCH_CONCURRENCY` (8)
//! change the load; `BENCH_SKIP_SQLITE` measures PostgreSQL alone. It prints figures and ratios against `/healthz` and the inbox in the same
//! run; it passes or fails nothing.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use app::model::Role;
use server::db::{Database, DatabaseUrl};
use sqlx::Executor as _;

/// A child process that is killed when the benchmark is done with it.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("its address").port()
}

/// Resident memory of `pid` in MB (`VmRSS` of `/proc/<pid>/status`).
fn rss_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = status
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    kib / 1024
}

async fn wait_for(url: &str, what: &str, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        if reqwest::get(url).await.is_ok_and(|r| r.status().is_success()) {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{what} did not answer within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The simulator as its own process, seeded with `orders` subscriptions.
struct Simulator {
    _process: Process,
    base: String,
    key_file: std::path::PathBuf,
    project: String,
}

async fn start_simulator(dir: &std::path::Path, orders: usize) -> Simulator {
    let port = free_port();
    let project = uuid::Uuid::new_v4().to_string();
    let key_file = dir.join("vendor-key.json");
    let process = Command::new(env!("CARGO_BIN_EXE_orderdesk"))
        .args(["simulator", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--vendor-key-out", &key_file.display().to_string()])
        .args(["--vendor-project-id", &project, "--seed", &orders.to_string()])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the simulator starts");
    let base = format!("http://127.0.0.1:{port}");
    let took =
        wait_for(&format!("{base}/v1/resolve-customer/keys.json"), "the simulator", Duration::from_secs(300))
            .await;
    println!("simulator: {orders} subscriptions seeded, listening after {:.1} s", took.as_secs_f64());
    Simulator { _process: Process(process), base, key_file, project }
}

/// `orderdesk` against the simulator on `database_url`, started now, and when its first full
/// sync finished and when it settled the database after it (read from its log, which costs the
/// process nothing, unlike asking it).
fn start_orderdesk(
    sim: &Simulator,
    database_url: &str,
    data: &std::path::Path,
    port: u16,
) -> (Process, std::sync::mpsc::Receiver<(&'static str, Instant)>, PendingPolls) {
    let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_orderdesk"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--database-url", database_url])
        .args(["--data-dir", &data.display().to_string(), "--site-root", &site.display().to_string()])
        .env("STACKIT_API_URL", &sim.base)
        .env("STACKIT_SERVICE_ACCOUNT_KEY_PATH", &sim.key_file)
        .env("STACKIT_VENDOR_PROJECT_ID", &sim.project)
        .env("STACKIT_REDIRECT_KEYS_URL", format!("{}/v1/resolve-customer/keys.json", sim.base))
        .env("STACKIT_REDIRECT_ISSUER", format!("{}/v1/resolve-customer/keys.json", sim.base))
        .env("ORDERDESK_LOG_FORMAT", "json")
        .env("RUST_LOG", "warn,server::jobs::schedule=info,server::jobs::search_index=info")
        .stdout(Stdio::piped())
        .spawn()
        .expect("orderdesk starts");
    let (synced, first_sync) = std::sync::mpsc::channel();
    let output = child.stdout.take().expect("its output");
    let polls = PendingPolls::default();
    let seen_polls = polls.clone();
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(output).lines().map_while(Result::ok) {
            if line.contains("\"sync finished\"") && line.contains("\"kind\":\"pending\"") {
                let millis = line.split("\"millis\":").nth(1).and_then(|rest| {
                    rest.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse::<u64>().ok())
                });
                if let (Some(millis), Ok(mut polls)) = (millis, seen_polls.lock()) {
                    polls.push(millis);
                }
            } else if line.contains("\"sync finished\"") && line.contains("\"kind\":\"full\"") {
                let _ = synced.send(("synced", Instant::now()));
            } else if line.contains("database settled") {
                let _ = synced.send(("settled", Instant::now()));
            } else if line.contains("search index caught up") {
                let _ = synced.send(("indexed", Instant::now()));
            }
        }
    });
    (Process(child), first_sync, polls)
}

/// How long each pending poll of a run took, in milliseconds (from its log).
type PendingPolls = Arc<std::sync::Mutex<Vec<u64>>>;

/// One page's figures under load.
struct Figures {
    path: String,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Answers other than 200 (and requests that got no answer), counted rather than fatal: a
    /// page too slow at a million orders still leaves the others' figures.
    failed: usize,
}

/// `requests` GETs of `path` by `concurrency` clients at once; answers other than 200 count as
/// failed.
async fn load(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    requests: usize,
    concurrency: usize,
) -> Figures {
    let url = format!("{base}{path}");
    for _ in 0..10 {
        match client.get(&url).send().await.map(|answer| answer.status()) {
            Ok(status) if status == 200 => {}
            other => eprintln!("warming up, {path} answered {other:?}"),
        }
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, url, next) = (client.clone(), url.clone(), next.clone());
            tokio::spawn(async move {
                let (mut times, mut failed) = (Vec::new(), 0);
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let sent = Instant::now();
                    let answered = match client.get(&url).send().await {
                        Ok(answer) => answer.status() == 200 && answer.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    failed += usize::from(!answered);
                    times.push(sent.elapsed());
                }
                (times, failed)
            })
        })
        .collect();
    let (mut times, mut failed) = (Vec::new(), 0);
    for worker in workers {
        let (took, failures) = worker.await.expect("a load client");
        times.extend(took);
        failed += failures;
    }
    let took = started.elapsed();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    Figures {
        path: path.to_string(),
        per_second: times.len() as f64 / took.as_secs_f64(),
        p50_ms: at(0.50).as_secs_f64() * 1000.0,
        p99_ms: at(0.99).as_secs_f64() * 1000.0,
        failed,
    }
}

/// A fresh PostgreSQL database beside the one `server_url` names; its URL.
async fn fresh_postgres(server_url: &str) -> (String, String) {
    let name = format!("orderdesk_pages_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&DatabaseUrl::parse(server_url).expect("BENCH_POSTGRES_URL"), 1)
        .await
        .expect("the PostgreSQL server");
    admin.pool().execute(format!("CREATE DATABASE {name}").as_str()).await.expect("a fresh database");
    let base = &server_url[..server_url.rfind('/').expect("a database name in the URL")];
    (format!("{base}/{name}"), name)
}

async fn run_engine(engine: &str, sim: &Simulator, database_url: &str, orders: usize) {
    let (requests, concurrency) = (env_number("BENCH_REQUESTS", 400), env_number("BENCH_CONCURRENCY", 8));
    let data = tempfile::tempdir().expect("a data folder");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let (process, first_sync, polls) = start_orderdesk(sim, database_url, data.path(), port);
    let ready = wait_for(&format!("{base}/readyz"), "orderdesk", Duration::from_secs(60)).await;
    let (sync, settled, indexed) = tokio::task::spawn_blocking(move || {
        // Ten minutes, and an hour more per million orders.
        let wait = Duration::from_secs(600 + orders as u64 * 36 / 10_000);
        let next = |what: &str| loop {
            let (seen, at) = first_sync.recv_timeout(wait).expect("the first full sync finished");
            if seen == what {
                break at;
            }
        };
        let synced = next("synced");
        let settled_at = next("settled");
        // The search index catches up after the sync.
        let indexed = next("indexed") - synced;
        (synced - started, settled_at - synced, indexed)
    })
    .await
    .expect("waiting for the sync");
    let after_sync_mb = rss_mb(process.0.id());

    let db = Database::connect(&DatabaseUrl::parse(database_url).expect("the database URL"), 2)
        .await
        .expect("the database");
    let (email, password) = ("bench@vendor.example", "a benchmark password");
    server::accounts::create_operator(&db, email, "Bench", Role::Admin, password).await.expect("an admin");
    let filter = server::db::inbox::InboxFilter { limit: 1, ..Default::default() };
    let order = server::db::inbox::inbox(&db, &filter).await.expect("the inbox")[0].subscription_id.clone();
    let client = reqwest::Client::builder().cookie_store(true).build().expect("an HTTP client");
    let signed_in = client
        .post(format!("{base}/api/login"))
        .header("accept", "application/json")
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("signing in");
    assert_eq!(signed_in.status(), 200, "signing in");

    let pages = [
        "/healthz".to_string(),
        "/orders".into(),
        "/orders?sort=newest".into(),
        "/orders?q=it-ops".into(),
        // A term few orders contain (part of one order's ID): the index's case, not a walk.
        format!("/orders?q={}", &order[..13]),
        "/orders?state=SUBSCRIPTION_ACTIVE".into(),
        "/orders?state=SUBSCRIPTION_ACTIVE&sort=newest".into(),
        "/orders?product=datavault-1a2b3c4d".into(),
        "/orders?overdue=on".into(),
        "/orders?assigned=none".into(),
        "/".into(),
        format!("/orders/{order}"),
        "/audit".into(),
        "/audit?action=order.approved".into(),
        // The audit log's other two filters: one order's events, and an operator's (one who has
        // none: the demo's operators have not acted here, and the index answers all the same).
        format!("/audit?order={order}"),
        "/audit?operator=5f0c1e2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f".into(),
        "/settings".into(),
        "/outbox".into(),
        "/operators".into(),
    ];
    let mut figures = Vec::new();
    for page in &pages {
        figures.push(load(&client, &base, page, requests, concurrency).await);
    }
    let after_load_mb = rss_mb(process.0.id());
    drop(process);

    // Start to ready on the filled database, three times (the first pays a cold file cache).
    let mut restarts = Vec::new();
    for _ in 0..3 {
        let port = free_port();
        let started = Instant::now();
        let (process, ..) = start_orderdesk(sim, database_url, data.path(), port);
        wait_for(&format!("http://127.0.0.1:{port}/readyz"), "orderdesk again", Duration::from_secs(60))
            .await;
        restarts.push(started.elapsed().as_secs_f64());
        drop(process);
    }

    let inbox = figures[1].per_second;
    let baseline = figures[0].per_second;
    println!("\n{engine}, {orders} orders, {requests} requests per page by {concurrency} clients");
    println!(
        "  ready after {:.2} s; first full sync done {:.1} s after start, database settled {:.1} s after that",
        ready.as_secs_f64(),
        sync.as_secs_f64(),
        settled.as_secs_f64()
    );
    println!("  search index caught up {:.1} s after the sync", indexed.as_secs_f64());
    println!("  RSS {after_sync_mb} MB after the sync, {after_load_mb} MB after the pages");
    let polls = polls.lock().map(|p| p.clone()).unwrap_or_default();
    println!(
        "  pending polls finished while it ran: {}, the longest {:.1} s, the last {:.1} s",
        polls.len(),
        polls.iter().max().copied().unwrap_or(0) as f64 / 1000.0,
        polls.last().copied().unwrap_or(0) as f64 / 1000.0
    );
    println!(
        "  start to ready on the filled database: {}",
        restarts.iter().map(|s| format!("{s:.2} s")).collect::<Vec<_>>().join(", ")
    );
    println!(
        "  {:<48} {:>8} {:>8} {:>8} {:>9} {:>9} {:>7}",
        "page", "req/s", "p50 ms", "p99 ms", "÷healthz", "÷inbox", "failed"
    );
    for f in &figures {
        println!(
            "  {:<48} {:>8.0} {:>8.1} {:>8.1} {:>9.3} {:>9.2} {:>7}",
            f.path,
            f.per_second,
            f.p50_ms,
            f.p99_ms,
            f.per_second / baseline,
            f.per_second / inbox,
            f.failed
        );
    }
}

#[tokio::main]
async fn main() {
    let orders = env_number("BENCH_ORDERS", 100_000);
    let folder = tempfile::tempdir().expect("a folder");
    let sim = start_simulator(folder.path(), orders).await;
    let sqlite = format!("sqlite://{}", folder.path().join("orderdesk.db").display());
    if std::env::var("BENCH_SKIP_SQLITE").is_err() {
        run_engine("SQLite", &sim, &sqlite, orders).await;
    }
    if let Ok(server_url) = std::env::var("BENCH_POSTGRES_URL") {
        let (url, name) = fresh_postgres(&server_url).await;
        run_engine("PostgreSQL", &sim, &url, orders).await;
        let admin = Database::connect(&DatabaseUrl::parse(&server_url).expect("the URL"), 1)
            .await
            .expect("the server");
        let _ = admin.pool().execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str()).await;
    }
}
