//! Lists 100,000 subscriptions from the simulator through the Vendor API client and prints
//! subscriptions per second and peak memory, next to a baseline in the same process: the same
//! pages fetched with a bare HTTP client that does not decode them (the transport's ceiling).
//!
//! `cargo bench -p server --bench vendor_listing` (SUBSCRIPTIONS=n changes the count).

use std::sync::Arc;
use std::time::{Duration, Instant};

use server::marketplace::auth::{Authenticator, Credentials, ServiceAccountKey};
use server::marketplace::client::{ClientSettings, ListFilter, RetryPolicy, VendorClient};
use server::marketplace::simulator::{Simulator, SimulatorSettings};

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// The `cursor` of a listing page, cut from the JSON text without parsing it.
fn cursor_of(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("\"cursor\":\"")? + "\"cursor\":\"".len();
    let end = text[start..].find('"')? + start;
    Some(text[start..end].to_string()).filter(|c| !c.is_empty())
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
    let after_seeding = peak_mib();
    println!(
        "seeded {count} subscriptions in {:.1} s; peak memory {after_seeding:.0} MiB (simulator included)",
        seeding.elapsed().as_secs_f64()
    );

    let http = reqwest::Client::new();
    let key = ServiceAccountKey::from_json(&sim.service_account_key_json()).map_err(anyhow::Error::msg)?;
    let endpoint = sim.token_url();
    let auth = Arc::new(Authenticator::new(
        Credentials::ServiceAccount { key, token_endpoint: endpoint },
        http.clone(),
    ));
    let settings = ClientSettings {
        base_url: sim.base_url().to_string(),
        vendor_project_id: sim.vendor_project_id(),
        timeout: Duration::from_secs(30),
        retry: RetryPolicy::default(),
    };
    let client = VendorClient::new(settings, auth.clone(), http.clone());
    let filter = ListFilter { include_expired: true, ..ListFilter::default() };
    let bearer = auth.bearer().await?;

    // Baseline: the same pages over the same HTTP stack, bodies read but not decoded (only the
    // cursor is cut out of the text). Run twice; the first run warms up both sides.
    let url = format!("{}/v1/vendors/projects/{}/subscriptions", sim.base_url(), sim.vendor_project_id());
    let mut baseline = Duration::MAX;
    let (mut pages, mut bytes) = (0_usize, 0_usize);
    for _ in 0..2 {
        let started = Instant::now();
        let mut cursor = None::<String>;
        (pages, bytes) = (0, 0);
        loop {
            let mut request = http
                .get(&url)
                .bearer_auth(secrecy::ExposeSecret::expose_secret(&bearer))
                .query(&[("limit", "100"), ("includeExpired", "true")]);
            if let Some(cursor) = &cursor {
                request = request.query(&[("cursor", cursor)]);
            }
            let body = request.send().await?.bytes().await?;
            bytes += body.len();
            pages += 1;
            match cursor_of(&body) {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        baseline = baseline.min(started.elapsed());
    }
    let baseline_rate = count as f64 / baseline.as_secs_f64();
    println!(
        "baseline (bare HTTP, untyped): {pages} pages, {:.1} MB in {:.2} s = {baseline_rate:>9.0} subscriptions/s",
        bytes as f64 / 1e6,
        baseline.as_secs_f64()
    );

    // The client, streaming page by page (what a sync does): typed, tolerant models.
    let started = Instant::now();
    let mut listed = 0;
    client.for_each_subscription_page(&filter, |page| listed += page.len()).await?;
    let streamed = started.elapsed();
    let streamed_rate = listed as f64 / streamed.as_secs_f64();
    println!(
        "client, page by page:          {listed} subscriptions in {:.2} s = {streamed_rate:>9.0} subscriptions/s ({:.2} of baseline); peak memory +{:.0} MiB",
        streamed.as_secs_f64(),
        streamed_rate / baseline_rate,
        peak_mib() - after_seeding
    );

    // The client collecting everything in memory at once.
    let started = Instant::now();
    let all = client.list_all(&filter).await?;
    let collected = started.elapsed();
    let collected_rate = all.len() as f64 / collected.as_secs_f64();
    println!(
        "client, all collected:         {} subscriptions in {:.2} s = {collected_rate:>9.0} subscriptions/s ({:.2} of baseline); peak memory +{:.0} MiB",
        all.len(),
        collected.as_secs_f64(),
        collected_rate / baseline_rate,
        peak_mib() - after_seeding
    );
    assert_eq!(listed, count);
    assert_eq!(all.len(), count);
    Ok(())
}
