//! The sync: pages through the vendor's subscriptions (`includeExpired=true`) and brings the
//! `orders` table in line, recording every state change as an event. Idempotent, and it writes
//! nothing for subscriptions that did not change.

use std::collections::HashSet;

use anyhow::Context;

use super::schedule::Lease;

use crate::db::{Database, DatabaseKind, now_ms};
use crate::db::{bulk_load, orders, tallies};
use crate::mail::notify::{self, Notice};
use crate::marketplace::client::{ListFilter, PAGE_LIMIT, Pager, VendorClient};
use crate::marketplace::model::Subscription;
use app::model::LifecycleState;

pub use super::reminders::remind;
pub use crate::orders::reconcile::{SyncReport, apply_page, load_page};

/// Subscriptions applied together by a full sync (fifty listing pages).
const SYNC_BATCH: usize = 5_000;
/// Subscriptions written together on SQLite after the first batch of a sync that began with no
/// order stored. Their IDs fall all over the indexes keyed by subscription, so each batch
/// rewrites (and checkpoints) nearly every leaf page of them that exists by then: the fewer
/// batches, the less is written. A first sync of 100,000 orders took 5.7–5.9 s against 7.0–7.6 s
/// in batches of 5,000, peak RSS 211 MB against 172 MB, the same 45–55 MB after it. PostgreSQL
/// keeps [`SYNC_BATCH`]: there it was no faster (15.6–17.1 s against 14.9–15.6 s) and doubled
/// the peak.
const LOAD_BATCH: usize = 20_000;

/// One full pass over every subscription of the vendor project. Fails when STACKIT cannot be
/// listed to the end; what was applied before stays (a later run continues idempotently).
pub async fn run_once(client: &VendorClient, db: &Database) -> anyhow::Result<SyncReport> {
    run_full(client, db, None).await
}

/// A full pass, renewing `lease` after every batch when a scheduled run holds one (and stopping
/// when it has been lost to another replica).
pub async fn run_full(
    client: &VendorClient,
    db: &Database,
    lease: Option<&Lease>,
) -> anyhow::Result<SyncReport> {
    let filter = ListFilter { include_expired: true, ..ListFilter::default() };
    let mut pager = client.pager(&filter);
    let mut report = SyncReport::default();
    let mut seen = HashSet::new();
    let loading = !orders::any_stored(db.pool()).await?;
    let first = next_batch(&mut pager, SYNC_BATCH).await?;
    // A first sync of many orders (a vendor connecting a product that sells already) tells the
    // operators of the orders waiting in one mail when it is complete, not one each (20,000 at
    // 100,000 orders, which also kept the database writing for minutes after the sync), and on
    // SQLite loads the empty table without the indexes only pages read.
    let first_load = bulk_load::begin_first_load(db, first.len() >= SYNC_BATCH).await?;
    if first_load && bulk_load::defer(db).await? {
        tracing::info!("loading the first orders without the indexes only pages read");
    }
    let loaded = apply_batches(db, &mut pager, first, loading, lease, &mut report, &mut seen).await;
    // Whatever became of the load, the indexes this run or an earlier one deferred are built.
    let built = bulk_load::restore(db).await;
    match &built {
        Ok(0) => {}
        Ok(indexes) => tracing::info!(indexes, "built the indexes the first sync deferred"),
        Err(error) => {
            tracing::error!(%error, "the indexes the first sync deferred could not be built; the next sync tries again")
        }
    }
    loaded?;
    built?;
    if first_load {
        announce_first_load(db).await?;
    }
    // An open order missing from the list is looked up on its own before anything is concluded:
    // lists can lag, and an order STACKIT no longer shows us keeps its last known state.
    let missing: Vec<String> =
        orders::open_ids(db.pool()).await?.into_iter().filter(|id| !seen.contains(id)).collect();
    for id in missing {
        report.looked_up += 1;
        match client.get(&id, true).await {
            Ok(subscription) => apply_page(db, std::slice::from_ref(&subscription), &mut report).await?,
            Err(error) if error.is_not_visible() => {
                tracing::warn!(subscription = %id, "STACKIT no longer shows this subscription; kept as last seen");
            }
            Err(error) => return Err(error).context("looking up a subscription missing from the list"),
        }
    }
    Ok(report)
}

/// Ends an unfinished first load with one notice of the orders waiting, in the transaction that
/// ends it (a run beside this one may have ended it already: then nothing).
async fn announce_first_load(db: &Database) -> anyhow::Result<()> {
    let mut tx = db.begin_write().await?;
    if bulk_load::end_first_load(&mut tx).await? {
        let waiting = tallies::waiting(&mut tx).await?;
        if waiting > 0 {
            // Noted only with a mail queued: the reminders it stands for are not sent.
            if notify::queue(&mut *tx, "", &Notice::Backlog { waiting }).await? {
                bulk_load::note_announced(&mut tx).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Applies `batch` and every batch after it, listing the next while the last is written; as new
/// orders when the run began with none stored (`loading`: no batch can hold an order an earlier
/// one wrote, the listing names each once).
async fn apply_batches(
    db: &Database,
    pager: &mut Pager<'_>,
    mut batch: Vec<Subscription>,
    loading: bool,
    lease: Option<&Lease>,
    report: &mut SyncReport,
    seen: &mut HashSet<String>,
) -> anyhow::Result<()> {
    // A batch of pages at a time: memory holds two batches (and the IDs seen) however many
    // subscriptions there are (at most 40,000 subscriptions in a first load on SQLite), each
    // batch's new orders are written whole in one transaction (a failure mid-way leaves no
    // half-written record), and few large transactions write much less than many small ones.
    // The next batch is listed while this one is written: STACKIT's answers are read and parsed
    // on this thread while the database writes on its own.
    let mut analyze_at = SYNC_BATCH as u64;
    while !batch.is_empty() {
        seen.extend(batch.iter().map(|s| s.subscription_id.clone()));
        let apply = async {
            if loading { load_page(db, &batch, report).await } else { apply_page(db, &batch, report).await }
        };
        let size = match (loading, db.kind()) {
            (true, DatabaseKind::Sqlite) => LOAD_BATCH,
            _ => SYNC_BATCH,
        };
        let (next, applied) = tokio::join!(next_batch(pager, size), apply);
        applied?;
        // PostgreSQL gathers table statistics minutes after a bulk load; planning without
        // them, it scans every order for each batch's plan-change lookup (20 ms a batch at
        // 60,000 orders, growing). Statistics taken once hold as the table grows (they are
        // kept as fractions); refresh them when this run's new orders grew sixteen-fold.
        if report.new >= analyze_at {
            db.analyze("orders").await?;
            analyze_at = report.new.saturating_mul(16);
        }
        if let Some(lease) = lease {
            lease.renew(db).await?;
        }
        batch = next?;
    }
    Ok(())
}

/// The next `size` subscriptions of the listing (fewer at its end, none after it).
async fn next_batch(pager: &mut Pager<'_>, size: usize) -> anyhow::Result<Vec<Subscription>> {
    let mut batch = Vec::with_capacity(size);
    while batch.len() < size {
        match pager.next_page().await.context("listing subscriptions from STACKIT")? {
            Some(page) => batch.extend(page),
            None => break,
        }
    }
    Ok(batch)
}

/// The quick poll: reads every pending order from STACKIT (there is no listing by state; with
/// many, the listing finds which of them to read, see [`poll_by_listing`]), so approvals made
/// elsewhere, cancellations and time-outs show within a minute, then queues the operators'
/// reminders that are due.
pub async fn poll_pending(
    client: &VendorClient,
    db: &Database,
    reminder_days: &[u32],
    lease: Option<&Lease>,
) -> anyhow::Result<SyncReport> {
    let mut report = SyncReport::default();
    let pending = orders::pending_ids(db.pool()).await?;
    let known: i64 = tallies::counts_by_state(db.pool()).await?.iter().map(|(_, n)| n).sum();
    let listing_pages = u64::try_from(known).unwrap_or(0).div_ceil(u64::from(PAGE_LIMIT));
    let to_read = if pending.len() >= LISTING_FROM && pending.len() as u64 >= listing_pages * LISTING_SAVES {
        poll_by_listing(client, db, pending, lease, &mut report).await?
    } else {
        pending
    };
    for chunk in to_read.chunks(PAGE_LIMIT as usize) {
        let mut page = Vec::with_capacity(chunk.len());
        for id in chunk {
            match client.get(id, true).await {
                Ok(subscription) => page.push(subscription),
                Err(error) if error.is_not_visible() => {
                    tracing::warn!(subscription = %id, "STACKIT does not show this pending order");
                }
                Err(error) => return Err(error).context("reading a pending order from STACKIT"),
            }
        }
        apply_page(db, &page, &mut report).await?;
        if let Some(lease) = lease {
            lease.renew(db).await?;
        }
    }
    remind(db, reminder_days, now_ms()).await?;
    Ok(report)
}

/// The pending poll reads the whole listing instead of each pending order when there are at
/// least [`LISTING_FROM`] of them and that takes at least this many times fewer calls: 20,000
/// pending orders among 100,000 are 20,000 calls one by one a minute, or 1,000 listing pages.
/// A vendor with fewer keeps the call per order.
const LISTING_SAVES: u64 = 10;
const LISTING_FROM: usize = 1_000;

/// Listing pages read between two renewals of the lease.
const PAGES_PER_RENEWAL: usize = 100;

/// Finds which of the `pending` orders need their own read: those the listing shows in another
/// state, and those it does not show. Only these are read one by one and applied, so the poll
/// writes what STACKIT says of an order now, never a list's older entry (lists can lag: an order
/// just approved here and read back as active would go back to pending). An order the list still
/// shows pending is left as it is; one that changed meanwhile shows at the next poll. The number
/// left is counted as unchanged.
async fn poll_by_listing(
    client: &VendorClient,
    db: &Database,
    pending: Vec<String>,
    lease: Option<&Lease>,
    report: &mut SyncReport,
) -> anyhow::Result<Vec<String>> {
    let mut unseen: HashSet<String> = pending.into_iter().collect();
    let mut moved = Vec::new();
    let filter = ListFilter { include_expired: true, ..ListFilter::default() };
    let mut pager = client.pager(&filter);
    let mut pages = 0;
    while let Some(page) = pager.next_page().await.context("listing subscriptions from STACKIT")? {
        for subscription in page {
            if !unseen.remove(&subscription.subscription_id) {
                continue;
            }
            if subscription.state() == LifecycleState::Pending {
                report.unchanged += 1;
            } else {
                moved.push(subscription.subscription_id);
            }
        }
        pages += 1;
        if pages % PAGES_PER_RENEWAL == 0
            && let Some(lease) = lease
        {
            lease.renew(db).await?;
        }
    }
    moved.extend(unseen);
    Ok(moved)
}
