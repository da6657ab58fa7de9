//! The sync: pages through the vendor's subscriptions (`includeExpired=true`) and brings the
//! `orders` table in line, recording every state change as an event. Idempotent, and it writes
//! nothing for subscriptions that did not change.

use crate::mail::notify::{self, Notice};
use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::db::events::{self, NewEvent};
use crate::db::orders::{self, OrderRow};
use crate::db::{Database, now_ms, setup};
use crate::marketplace::client::{ListFilter, VendorClient};
use crate::marketplace::model::{Subscription, SubscriptionState};

/// What one sync run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Subscriptions seen for the first time.
    pub new: u64,
    /// Known subscriptions whose STACKIT fields changed.
    pub changed: u64,
    /// Known subscriptions that are exactly as stored (no write).
    pub unchanged: u64,
}

/// One full pass over every subscription of the vendor project. Fails when STACKIT cannot be
/// listed to the end; what was applied before stays (a later run continues idempotently).
pub async fn run_once(client: &VendorClient, db: &Database) -> anyhow::Result<SyncReport> {
    let filter = ListFilter { include_expired: true, ..ListFilter::default() };
    let mut pager = client.pager(&filter);
    let mut report = SyncReport::default();
    // Page by page: memory stays flat however many subscriptions there are, and each order is
    // written whole in its own transaction, so a failure mid-way leaves no half-written record.
    while let Some(page) = pager.next_page().await.context("listing subscriptions from STACKIT")? {
        apply_page(db, &page, &mut report).await?;
    }
    Ok(report)
}

/// Applies one page: loads the stored rows of its subscriptions at once, then writes only those
/// that are new or differ, each in a transaction with its events.
pub async fn apply_page(db: &Database, page: &[Subscription], report: &mut SyncReport) -> anyhow::Result<()> {
    let ids: Vec<&str> = page.iter().map(|s| s.subscription_id.as_str()).collect();
    let stored: HashMap<String, OrderRow> = orders::get_many(db.pool(), &ids)
        .await
        .context("reading stored orders")?
        .into_iter()
        .map(|row| (row.subscription_id.clone(), row))
        .collect();
    let windows: HashMap<String, i64> = setup::products(db.pool())
        .await
        .context("reading product windows")?
        .into_iter()
        .map(|p| (p.product_id, p.approval_window_secs))
        .collect();
    let now = now_ms();
    for subscription in page {
        let incoming = order_row(subscription, now, windows.get(&subscription.product.product_id).copied());
        let known = stored.get(&subscription.subscription_id).cloned();
        apply_one(db, &incoming, known, report).await?;
    }
    Ok(())
}

/// Brings one order in line with STACKIT. Writes are conditional (insert if absent, update if
/// unchanged since read), so when another writer gets there first (a second sync, a decision
/// reading back), the order is read again and compared again instead of being overwritten or
/// counted twice.
async fn apply_one(
    db: &Database,
    incoming: &OrderRow,
    mut known: Option<OrderRow>,
    report: &mut SyncReport,
) -> anyhow::Result<()> {
    let id = Some(incoming.subscription_id.as_str());
    for _ in 0..5 {
        if known.as_ref().is_some_and(|existing| same_stackit_fields(existing, incoming)) {
            report.unchanged += 1;
            return Ok(());
        }
        let mut tx = db.pool().begin().await?;
        match &known {
            None => {
                if !orders::insert_new(&mut tx, incoming).await.context("writing an order")? {
                    drop(tx);
                    known = orders::get(db.pool(), &incoming.subscription_id).await?;
                    continue;
                }
                report.new += 1;
                let product = &incoming.product_id;
                setup::ensure_product(
                    &mut tx,
                    product,
                    &incoming.product_name,
                    incoming.approval_timeout_secs,
                )
                .await?;
                setup::copy_checklist(&mut tx, &incoming.subscription_id, product).await?;
                let detail = serde_json::json!({ "state": incoming.lifecycle_state_raw });
                events::record(
                    &mut *tx,
                    &NewEvent { subscription_id: id, kind: "order.created", actor: "stackit", detail },
                )
                .await?;
                if incoming.lifecycle_state == "SUBSCRIPTION_PENDING" {
                    notify::queue(&mut *tx, &incoming.subscription_id, &Notice::NewOrder).await?;
                }
            }
            Some(existing) => {
                if !orders::update_unchanged_since(&mut tx, incoming, existing.updated_at_ms)
                    .await
                    .context("writing an order")?
                {
                    drop(tx);
                    known = orders::get(db.pool(), &incoming.subscription_id).await?;
                    continue;
                }
                report.changed += 1;
                let (kind, detail) = if existing.lifecycle_state_raw != incoming.lifecycle_state_raw {
                    (
                        "state.changed",
                        serde_json::json!({ "from": existing.lifecycle_state_raw, "to": incoming.lifecycle_state_raw }),
                    )
                } else {
                    ("order.updated", serde_json::json!({ "fields": changed_fields(existing, incoming) }))
                };
                events::record(&mut *tx, &NewEvent { subscription_id: id, kind, actor: "stackit", detail })
                    .await?;
                if incoming.lifecycle_state == "SUBSCRIPTION_ACTIVE"
                    && existing.lifecycle_state != "SUBSCRIPTION_ACTIVE"
                {
                    notify::queue(&mut *tx, &incoming.subscription_id, &Notice::Active).await?;
                }
            }
        }
        tx.commit().await?;
        return Ok(());
    }
    anyhow::bail!("order {} kept changing while it was being synced", incoming.subscription_id)
}

/// Runs the sync now and then every `interval`, logging each result, until the process ends.
pub async fn run_forever(client: VendorClient, db: Database, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let started = std::time::Instant::now();
        match run_once(&client, &db).await {
            Ok(report) => tracing::info!(
                new = report.new,
                changed = report.changed,
                unchanged = report.unchanged,
                millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                "sync finished"
            ),
            Err(error) => tracing::warn!("sync failed: {error:#}"),
        }
    }
}

/// The order row a subscription maps to. Our own fields (contact e-mail, first seen) are set
/// for a new order; the upsert keeps them for a known one.
pub fn order_row(subscription: &Subscription, now: i64, product_window_secs: Option<i64>) -> OrderRow {
    let product = &subscription.product;
    let state = match &subscription.lifecycle_state {
        SubscriptionState::Unknown(_) => "UNKNOWN".to_string(),
        known => known.as_wire().to_string(),
    };
    let email = subscription.consumer_notification_email.clone().filter(|e| e.contains('@'));
    let ordered_at_ms = parse_ms(&subscription.ordered_at).unwrap_or(now);
    let window_secs = subscription
        .approval_timeout
        .as_ref()
        .and_then(|d| d.seconds)
        .or(product_window_secs)
        .unwrap_or(setup::DEFAULT_WINDOW_SECS);
    OrderRow {
        subscription_id: subscription.subscription_id.clone(),
        organization_id: subscription.organization_id.clone(),
        project_id: subscription.project_id.clone(),
        lifecycle_state: state,
        lifecycle_state_raw: subscription.lifecycle_state.as_wire().to_string(),
        ordered_at: subscription.ordered_at.clone(),
        ordered_at_ms,
        approval_timeout: subscription.approval_timeout.as_ref().map(|d| d.raw.clone()),
        approval_timeout_secs: subscription.approval_timeout.as_ref().and_then(|d| d.seconds),
        auto_renewal: subscription.auto_renewal.map(i64::from),
        terminates_at: subscription.terminates_at.clone(),
        terminates_at_ms: subscription.terminates_at.as_deref().and_then(parse_ms),
        valid_from: subscription.valid_from.clone(),
        valid_from_ms: subscription.valid_from.as_deref().and_then(parse_ms),
        valid_until: subscription.valid_until.clone(),
        valid_until_ms: subscription.valid_until.as_deref().and_then(parse_ms),
        product_id: product.product_id.clone(),
        product_name: product.product_name.clone(),
        plan_id: product.plan_id.clone(),
        vendor_plan_id: product.vendor_plan_id.clone(),
        vendor_product_id: product.vendor_product_id.clone(),
        price_type: product.price_type.as_wire().to_string(),
        pricing_plan: product.pricing_plan.clone(),
        delivery_method: product.delivery_method.as_wire().to_string(),
        product_lifecycle_state: product.lifecycle_state.as_wire().to_string(),
        vendor_name: product.vendor_name.clone(),
        vendor_website_url: product.vendor_website_url.clone(),
        rate: product.rate.clone(),
        validity_period: product.validity_period.raw.clone(),
        validity_period_secs: product.validity_period.seconds,
        notice_period: product.notice_period.raw.clone(),
        notice_period_secs: product.notice_period.seconds,
        assets_json: product.assets.as_ref().and_then(|a| serde_json::to_string(a).ok()),
        contact_email_source: email.as_ref().map(|_| "stackit".to_string()),
        contact_email: email.clone(),
        consumer_notification_email: email,
        instance_target: None,
        first_seen_at_ms: now,
        updated_at_ms: now,
        deadline_ms: ordered_at_ms.saturating_add(window_secs.saturating_mul(1000)),
        queue_rank: i64::from(subscription.lifecycle_state != SubscriptionState::Pending),
    }
}

fn parse_ms(text: &str) -> Option<i64> {
    let time = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000).ok()
}

/// The fields STACKIT owns, as (name, value) pairs, for comparing a stored order with a fresh one.
fn stackit_fields(row: &OrderRow) -> [(&'static str, String); 34] {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    [
        ("organization_id", row.organization_id.clone()),
        ("project_id", row.project_id.clone()),
        ("lifecycle_state", row.lifecycle_state.clone()),
        ("lifecycle_state_raw", row.lifecycle_state_raw.clone()),
        ("ordered_at", row.ordered_at.clone()),
        ("ordered_at_ms", row.ordered_at_ms.to_string()),
        ("approval_timeout", o(&row.approval_timeout)),
        ("approval_timeout_secs", n(row.approval_timeout_secs)),
        ("auto_renewal", n(row.auto_renewal)),
        ("terminates_at", o(&row.terminates_at)),
        ("valid_from", o(&row.valid_from)),
        ("valid_until", o(&row.valid_until)),
        ("product_id", row.product_id.clone()),
        ("product_name", row.product_name.clone()),
        ("plan_id", row.plan_id.clone()),
        ("vendor_plan_id", o(&row.vendor_plan_id)),
        ("vendor_product_id", o(&row.vendor_product_id)),
        ("price_type", row.price_type.clone()),
        ("pricing_plan", row.pricing_plan.clone()),
        ("delivery_method", row.delivery_method.clone()),
        ("product_lifecycle_state", row.product_lifecycle_state.clone()),
        ("vendor_name", row.vendor_name.clone()),
        ("vendor_website_url", row.vendor_website_url.clone()),
        ("rate", row.rate.clone()),
        ("validity_period", row.validity_period.clone()),
        ("validity_period_secs", n(row.validity_period_secs)),
        ("notice_period", row.notice_period.clone()),
        ("notice_period_secs", n(row.notice_period_secs)),
        ("assets_json", o(&row.assets_json)),
        ("consumer_notification_email", o(&row.consumer_notification_email)),
        ("terminates_at_ms", n(row.terminates_at_ms)),
        ("valid_from_ms", n(row.valid_from_ms)),
        ("valid_until_ms", n(row.valid_until_ms)),
        ("deadline_ms", row.deadline_ms.to_string()),
    ]
}

fn same_stackit_fields(stored: &OrderRow, incoming: &OrderRow) -> bool {
    stackit_fields(stored) == stackit_fields(incoming)
}

fn changed_fields(stored: &OrderRow, incoming: &OrderRow) -> Vec<&'static str> {
    stackit_fields(stored)
        .into_iter()
        .zip(stackit_fields(incoming))
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0)
        .collect()
}
