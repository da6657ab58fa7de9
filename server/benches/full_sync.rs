//! A full sync of 100,000 subscriptions from the simulator into SQLite (and into PostgreSQL when
//! `BENCH_POSTGRES_URL` names a server, e.g. the one `scripts/with-postgres` starts), then a second
//! sync with nothing changed. Prints the time of each (goal: the first in at most 20 s) and the rows
//! the second one wrote (goal: 0), next to a baseline in the same process: the same listing through
//! the client without touching the database.
//!
//! `cargo bench -p server --bench full_sync` (SUBSCRIPTIONS=n changes the count).

use std::sync::Arc;
use std::time::{Duration, Instant};

use server::config::DatabaseUrl;
use server::db::Database;
use server::jobs::sync::run_once;
use server::marketplace::auth::{Authenticator, Credentials, ServiceAccountKey};
use server::marketplace::client::{ClientSettings, ListFilter, RetryPolicy, VendorClient};
use server::marketplace::simulator::{Simulator, SimulatorSettings};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Rows in the tables a sync writes to, summed: a sync that writes nothing leaves it unchanged
/// (rows are only ever added or updated; updates are counted by `updated_at_ms` below).
async fn row_count(db: &Database) -> anyhow::Result<i64> {
    const SQL: &str = "SELECT (SELECT COUNT(*) FROM orders) + (SELECT COUNT(*) FROM events)
                            + (SELECT COUNT(*) FROM jobs) + (SELECT COUNT(*) FROM order_steps)";
    Ok(sqlx::query_scalar(SQL).fetch_one(db.pool()).await?)
}

async fn newest_update(db: &Database) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(updated_at_ms), 0) FROM orders").fetch_one(db.pool()).await?)
}

async fn bench(
    name: &str,
    url: &str,
    client: &VendorClient,
    baseline: Duration,
    count: usize,
) -> anyhow::Result<()> {
    let db = Database::connect(&DatabaseUrl::parse(url).map_err(anyhow::Error::msg)?, 8).await?;
    db.migrate().await?;
    let started = Instant::now();
    let first = run_once(client, &db).await?;
    let took = started.elapsed();
    println!(
        "{name:<10} first sync:  {:>6} new in {:>6.2} s = {:>7.0} subscriptions/s ({:.2} of the listing alone; goal <= 20 s)",
        first.new,
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64(),
        baseline.as_secs_f64() / took.as_secs_f64()
    );
    let (rows, updated) = (row_count(&db).await?, newest_update(&db).await?);
    let started = Instant::now();
    let second = run_once(client, &db).await?;
    let took = started.elapsed();
    let written = row_count(&db).await? - rows + i64::from(newest_update(&db).await? != updated);
    println!(
        "{name:<10} second sync: {:>6} unchanged in {:>6.2} s = {:>7.0} subscriptions/s ({:.2} of the listing alone); rows written: {written} (goal 0; {} subscriptions STACKIT changed meanwhile, e.g. timed out)",
        second.unchanged,
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64(),
        baseline.as_secs_f64() / took.as_secs_f64(),
        second.changed + second.new
    );
    db.pool().close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::var("SUBSCRIPTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let seeding = Instant::now();
    let settings = SimulatorSettings {
        seed_subscriptions: count,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await?.spawn();
    println!("seeded {count} subscriptions in {:.1} s", seeding.elapsed().as_secs_f64());

    let http = reqwest::Client::new();
    let key = ServiceAccountKey::from_json(&sim.service_account_key_json()).map_err(anyhow::Error::msg)?;
    let auth = Arc::new(Authenticator::new(
        Credentials::ServiceAccount { key, token_endpoint: sim.token_url() },
        http.clone(),
    ));
    let settings = ClientSettings {
        base_url: sim.base_url().to_string(),
        vendor_project_id: sim.vendor_project_id(),
        timeout: Duration::from_secs(30),
        retry: RetryPolicy::default(),
    };
    let client = VendorClient::new(settings, auth, http);

    // Baseline: the same listing, page by page, with nothing written anywhere.
    let filter = ListFilter { include_expired: true, ..ListFilter::default() };
    let started = Instant::now();
    let mut listed = 0;
    client.for_each_subscription_page(&filter, |page| listed += page.len()).await?;
    let baseline = started.elapsed();
    println!(
        "baseline, listing only: {listed} subscriptions in {:.2} s = {:.0} subscriptions/s",
        baseline.as_secs_f64(),
        listed as f64 / baseline.as_secs_f64()
    );

    let folder = tempfile::tempdir()?;
    bench("SQLite", &format!("sqlite://{}/sync.db", folder.path().display()), &client, baseline, count)
        .await?;
    match std::env::var("BENCH_POSTGRES_URL") {
        Ok(url) => bench("PostgreSQL", &url, &client, baseline, count).await?,
        Err(_) => println!("PostgreSQL: skipped (set BENCH_POSTGRES_URL to a fresh database)"),
    }
    Ok(())
}
