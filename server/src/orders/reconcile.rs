//! Reconciliation: the one path by which STACKIT's view of a subscription becomes rows (order,
//! checklist, events, plan-change links, notices), used by the sync, by *Sync now*, by the
//! sign-up and by decisions reading back. Idempotent: a subscription exactly as stored writes
//! nothing.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use serde::Serialize;

use super::order_row::{changed_fields, order_row, same_stackit_fields};
use crate::db::DatabaseKind;
use crate::db::events::{self, NewEvent};
use crate::db::orders::{self, OrderRow};
use crate::db::{self, Database, bulk_load, now_ms, plan_changes, setup};
use crate::mail::notify::{self, Notice};
use crate::marketplace::model::Subscription;
use app::model::{Actor, EventKind};

/// What one sync run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Subscriptions seen for the first time.
    pub new: u64,
    /// Known subscriptions whose STACKIT fields changed.
    pub changed: u64,
    /// Known subscriptions that are exactly as stored (no write).
    pub unchanged: u64,
    /// Open orders missing from STACKIT's list, looked up one by one.
    pub looked_up: u64,
}

/// Applies one page: loads the stored rows of its subscriptions at once, then writes only those
/// that are new or differ. The new ones are written in one transaction (each whole, with its
/// checklist and events: a failure leaves none of them half-written), a changed one in its own.
pub async fn apply_page(db: &Database, page: &[Subscription], report: &mut SyncReport) -> anyhow::Result<()> {
    let ids: Vec<&str> = page.iter().map(|s| s.subscription_id.as_str()).collect();
    let stored = stored_by_id(db, &ids).await?;
    let windows = product_windows(db).await?;
    let now = now_ms();
    let mut fresh = Vec::new();
    for subscription in page {
        let incoming = order_row(subscription, now, windows.get(&subscription.product.product_id).copied());
        match stored.get(&subscription.subscription_id) {
            None => fresh.push(incoming),
            Some(known) => apply_one(db, &incoming, Some(known.clone()), &windows, report).await?,
        }
    }
    insert_new(db, &mut fresh, &windows, report).await
}

/// Applies a page of a sync that began with no order stored: its orders are written as new at
/// once, without first looking up a batch's stored rows that are not there (a tenth of a first
/// sync's time). One that another writer stored meanwhile (a customer's sign-up) is
/// compared and applied as in [`apply_page`].
pub async fn load_page(db: &Database, page: &[Subscription], report: &mut SyncReport) -> anyhow::Result<()> {
    let windows = product_windows(db).await?;
    let now = now_ms();
    let mut fresh: Vec<OrderRow> = page
        .iter()
        .map(|subscription| {
            order_row(subscription, now, windows.get(&subscription.product.product_id).copied())
        })
        .collect();
    insert_new(db, &mut fresh, &windows, report).await
}

/// Each known product's approval window, by product ID.
/// The stored rows of `ids` (those that are stored), by subscription ID.
async fn stored_by_id(db: &Database, ids: &[&str]) -> anyhow::Result<HashMap<String, OrderRow>> {
    Ok(orders::get_many(db.pool(), db.kind(), ids)
        .await
        .context("reading stored orders")?
        .into_iter()
        .map(|row| (row.subscription_id.clone(), row))
        .collect())
}

async fn product_windows(db: &Database) -> anyhow::Result<HashMap<String, i64>> {
    Ok(setup::products(db.pool())
        .await
        .context("reading product windows")?
        .into_iter()
        .map(|p| (p.product_id, p.approval_window_secs))
        .collect())
}

/// Writes orders seen for the first time, in one transaction. One that another writer stored in
/// the meantime (a second sync, a decision reading back) is compared and applied on its own after.
async fn insert_new(
    db: &Database,
    rows: &mut [OrderRow],
    products: &HashMap<String, i64>,
    report: &mut SyncReport,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // In key order: each statement's rows then share the leaf pages of the indexes keyed by
    // subscription (the orders', their steps', events' and search notes'), instead of each row
    // touching pages of its own all over them.
    rows.sort_unstable_by(|a, b| a.subscription_id.cmp(&b.subscription_id));
    let rows = &*rows;
    let mut bulk = db.bulk_connection().await?;
    let written = write_new(db.kind(), &mut bulk, rows, products).await;
    bulk.release().await;
    let inserted = written?;
    report.new += inserted.len() as u64;
    // Read back together: a second run loading beside the first finds all of its orders stored.
    let taken: Vec<&OrderRow> = rows.iter().filter(|row| !inserted.contains(&row.subscription_id)).collect();
    let ids: Vec<&str> = taken.iter().map(|row| row.subscription_id.as_str()).collect();
    let mut stored = stored_by_id(db, &ids).await?;
    for incoming in taken {
        let known = stored.remove(&incoming.subscription_id);
        apply_one(db, incoming, known, products, report).await?;
    }
    Ok(())
}

/// One transaction: the orders not stored yet, and what comes with each, in a few statements
/// for the whole batch (first events, products seen for the first time, checklists,
/// plan-change links, the operators' notices). The IDs it inserted.
async fn write_new(
    kind: DatabaseKind,
    bulk: &mut db::BulkConnection,
    rows: &[OrderRow],
    products: &HashMap<String, i64>,
) -> anyhow::Result<HashSet<String>> {
    let mut tx = bulk.begin().await?;
    db::one_adder_at_a_time(&mut tx, kind).await?;
    db::plan_each_run(&mut tx, kind, false).await?;
    let inserted: HashSet<String> =
        orders::insert_new_many(&mut tx, kind, rows).await.context("writing orders")?.into_iter().collect();
    let new: Vec<&OrderRow> = rows.iter().filter(|row| inserted.contains(&row.subscription_id)).collect();
    let created: Vec<NewEvent> = new
        .iter()
        .map(|row| NewEvent {
            subscription_id: Some(row.subscription_id.as_str()),
            kind: EventKind::OrderCreated,
            actor: &Actor::Stackit,
            detail: serde_json::json!({ "state": row.lifecycle_state_raw }),
        })
        .collect();
    events::record_many(&mut tx, &created).await?;
    db::plan_each_run(&mut tx, kind, true).await?;
    let mut seen = HashSet::new();
    for row in &new {
        if !products.contains_key(&row.product_id) && seen.insert(row.product_id.as_str()) {
            setup::ensure_product(&mut tx, &row.product_id, &row.product_name, row.approval_timeout_secs)
                .await?;
        }
    }
    // Only orders that wait for approval get a setup checklist: one first seen in any other state
    // was set up before Orderdesk knew of it (or never will be).
    let pending: Vec<&str> = new
        .iter()
        .filter(|row| row.lifecycle_state == "SUBSCRIPTION_PENDING")
        .map(|row| row.subscription_id.as_str())
        .collect();
    setup::copy_checklists(&mut tx, &pending).await?;
    let projects: Vec<&str> = new.iter().map(|row| row.project_id.as_str()).collect();
    let shared: HashSet<(String, String)> =
        plan_changes::shared_pairs(&mut tx, &projects).await?.into_iter().collect();
    // Where a project has more orders of a product, each not yet linked is linked to the one it
    // follows, whichever of the two this sync met first.
    let pairs: HashSet<(&str, &str)> = new
        .iter()
        .filter(|row| shared.contains(&(row.project_id.clone(), row.product_id.clone())))
        .map(|row| (row.project_id.as_str(), row.product_id.as_str()))
        .collect();
    for (project, product) in pairs {
        for row in plan_changes::unlinked_of(&mut tx, project, product).await? {
            link_plan_change(&mut tx, &row).await?;
        }
    }
    // During a first load of many orders they are announced together at its end.
    if !bulk_load::first_load_unfinished(&mut tx).await? {
        notify::queue_many(&mut tx, &pending, &Notice::NewOrder).await?;
    }
    tx.commit().await?;
    Ok(inserted)
}

/// Brings one order in line with STACKIT. Writes are conditional (insert if absent, update if
/// unchanged since read), so when another writer gets there first (a second sync, a decision
/// reading back), the order is read again and compared again instead of being overwritten or
/// counted twice. A new order is written by [`write_new`], the one path for new orders.
async fn apply_one(
    db: &Database,
    incoming: &OrderRow,
    mut known: Option<OrderRow>,
    products: &HashMap<String, i64>,
    report: &mut SyncReport,
) -> anyhow::Result<()> {
    let id = Some(incoming.subscription_id.as_str());
    for _ in 0..5 {
        if known.as_ref().is_some_and(|existing| same_stackit_fields(existing, incoming)) {
            report.unchanged += 1;
            return Ok(());
        }
        let mut tx = db.begin().await?;
        match &known {
            None => {
                drop(tx);
                let mut bulk = db.bulk_connection().await?;
                let one = std::slice::from_ref(incoming);
                let written = write_new(db.kind(), &mut bulk, one, products).await;
                bulk.release().await;
                if written?.is_empty() {
                    known = orders::get(db.pool(), &incoming.subscription_id).await?;
                    continue;
                }
                report.new += 1;
                return Ok(());
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
                        EventKind::StateChanged,
                        serde_json::json!({ "from": existing.lifecycle_state_raw, "to": incoming.lifecycle_state_raw }),
                    )
                } else {
                    (
                        EventKind::OrderUpdated,
                        serde_json::json!({ "fields": changed_fields(existing, incoming) }),
                    )
                };
                events::record(
                    &mut *tx,
                    &NewEvent { subscription_id: id, kind, actor: &Actor::Stackit, detail },
                )
                .await?;
                if incoming.lifecycle_state == "SUBSCRIPTION_ACTIVE"
                    && existing.lifecycle_state != "SUBSCRIPTION_ACTIVE"
                {
                    notify::queue(&mut *tx, &incoming.subscription_id, &Notice::Active).await?;
                }
                if ended_while_live(existing, incoming) {
                    notify::queue(&mut *tx, &incoming.subscription_id, &Notice::Deprovision).await?;
                }
            }
        }
        tx.commit().await?;
        return Ok(());
    }
    anyhow::bail!("order {} kept changing while it was being synced", incoming.subscription_id)
}

/// Whether a subscription that had gone live is now seen cancelled: the operators are to
/// deprovision it. (A withdrawn order never went live and needs nothing.)
fn ended_while_live(stored: &OrderRow, incoming: &OrderRow) -> bool {
    const CANCELLED: &str = "SUBSCRIPTION_CANCELLED";
    incoming.lifecycle_state == CANCELLED
        && stored.lifecycle_state != CANCELLED
        && incoming.valid_from_ms.is_some()
}

/// A new order that follows another after a plan change is linked to it, in the transaction
/// that stores it: both timelines say so, and the contact e-mail the customer or an operator
/// gave on the old order carries over.
async fn link_plan_change(tx: &mut sqlx::AnyConnection, incoming: &OrderRow) -> anyhow::Result<()> {
    let Some((previous, plan, email, source)) = plan_changes::predecessor(tx, incoming).await? else {
        return Ok(());
    };
    let carried = match (email.as_deref(), source.as_deref()) {
        (Some(email), Some(source @ ("customer" | "operator"))) => Some((email, source)),
        _ => None,
    };
    plan_changes::link_plan_change(tx, &incoming.subscription_id, &previous, &plan, carried).await?;
    let steps = setup::carry_over(tx, &incoming.subscription_id, &previous, &incoming.product_id).await?;
    if !steps.is_empty() {
        let detail = serde_json::json!({ "from": previous, "steps": steps });
        events::record(
            &mut *tx,
            &NewEvent {
                subscription_id: Some(&incoming.subscription_id),
                kind: EventKind::StepsCarried,
                actor: &Actor::Stackit,
                detail,
            },
        )
        .await?;
    }
    let detail = serde_json::json!({ "from": previous, "from_plan": plan, "to_plan": incoming.pricing_plan });
    events::record(
        &mut *tx,
        &NewEvent {
            subscription_id: Some(&incoming.subscription_id),
            kind: EventKind::PlanChangedFrom,
            actor: &Actor::Stackit,
            detail,
        },
    )
    .await?;
    let detail = serde_json::json!({ "to": incoming.subscription_id, "from_plan": plan, "to_plan": incoming.pricing_plan });
    events::record(
        &mut *tx,
        &NewEvent {
            subscription_id: Some(&previous),
            kind: EventKind::PlanChangedTo,
            actor: &Actor::Stackit,
            detail,
        },
    )
    .await?;
    Ok(())
}
