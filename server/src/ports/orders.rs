//! The console's port for orders (`app::api::ports::OrderStore`): counts, the inbox, the order
//! page and the work on an order, each put together from `db/` and the `orders` service.

use std::sync::Arc;

use app::api::ports::OrderStore;
use app::error::AppError;
use app::i18n::Locale;
use app::model::{
    Actor, AuditEntry, AuditFilter, Dashboard, EmailAddress, EventKind, InboxPage, InboxQuery,
    LifecycleState, Live, Neighbours, Note, Operator, OrderDetail, StateCount, Step, TimelineEntry,
};
use async_trait::async_trait;

use crate::db::events::{self, NewEvent};
use crate::db::inbox;
use crate::db::{Database, notes, now_ms, plan_changes, setup};
use crate::db::{live, orders, tallies, work};
use crate::mail::notify::{self, Notice};
use crate::marketplace::client::VendorClient;
use crate::orders::decisions::{self, decision_status};
use crate::orders::inbox::{encode_cursor, inbox_row};
use crate::orders::overview::OverviewFigures;
use crate::orders::timeline::{actor_name, stackit_fields, summary};

/// Rows per inbox page.
pub const PAGE_SIZE: i64 = 50;

/// Orders in the database, and STACKIT for decisions.
pub struct DbOrderStore {
    pub db: Database,
    pub client: Option<VendorClient>,
    /// The inbox's product filter, read at most every few seconds instead of on every page.
    pub products: ProductNames,
    /// Sends decisions to STACKIT (the same as the background job runner's).
    pub worker: crate::jobs::runner::Worker,
    /// The overview's activation figures, kept while the database's tallies are unchanged.
    pub overview: OverviewFigures,
    /// The inbox's total and quick views, kept while nothing changed.
    pub counts: crate::orders::inbox::KeptCounts,
}

/// The (ID, name) list of products for the inbox filter, kept for a few seconds. Products change
/// rarely (the sync meets a new one, an admin renames one); a page may show a list up to
/// `ProductNames::FRESH` old, which spares the database one query on every inbox page.
#[derive(Default)]
pub struct ProductNames {
    cached: std::sync::Mutex<Option<(std::time::Instant, Arc<ProductList>)>>,
}

type ProductList = Vec<(String, String)>;

impl ProductNames {
    const FRESH: std::time::Duration = std::time::Duration::from_secs(5);

    async fn get(&self, pool: &sqlx::AnyPool) -> crate::db::Result<Arc<ProductList>> {
        let now = std::time::Instant::now();
        if let Ok(cached) = self.cached.lock()
            && let Some((at, names)) = cached.as_ref()
            && now.duration_since(*at) < Self::FRESH
        {
            return Ok(names.clone());
        }
        let names = Arc::new(inbox::products(pool).await?);
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((now, names.clone()));
        }
        Ok(names)
    }
}

#[async_trait]
impl OrderStore for DbOrderStore {
    async fn live(&self, cursor: i64, order: Option<&str>, viewer: &Operator) -> Result<Live, AppError> {
        let pool = self.db.pool();
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let Some(order) = order else {
            // A cursor from long ago (or made up: 0) is read as the last [`live::MOST`] changes,
            // so the inbox's answer never groups the whole change record. (One order's changes
            // are a range of `events_by_order`: counted in full, so its count never goes down.)
            let cursor = cursor.max(live::latest(pool).await?.saturating_sub(live::MOST));
            let (changes, new_orders) = live::changes_since(pool, cursor).await?;
            let changed = if changes > 0 { live::changed_orders(pool, cursor).await? } else { Vec::new() };
            return Ok(Live {
                changes: count(changes),
                new_orders: count(new_orders),
                changed,
                others: Vec::new(),
            });
        };
        let now = now_ms();
        live::seen(pool, order, &viewer.id, now).await?;
        let changes = live::order_changes_since(pool, order, cursor).await?;
        let others = live::others(pool, order, &viewer.id, now - 30_000).await?;
        Ok(Live { changes: count(changes), new_orders: 0, changed: Vec::new(), others })
    }

    async fn order_counts(&self) -> Result<Vec<StateCount>, AppError> {
        let rows = tallies::counts_by_state(self.db.pool()).await?;
        Ok(rows
            .into_iter()
            .map(|(state, count)| StateCount {
                state: LifecycleState::from_wire(&state),
                count: u64::try_from(count).unwrap_or_default(),
            })
            .collect())
    }

    async fn dashboard(&self, now_ms: i64) -> Result<Dashboard, AppError> {
        let counts = self.order_counts().await?;
        Ok(self.overview.dashboard(&self.db, now_ms, counts).await?)
    }

    async fn sync_now(&self) -> Result<(u64, u64, u64), AppError> {
        let client = self.client.as_ref().ok_or_else(|| {
            AppError::upstream(
                "Orderdesk is not connected to STACKIT (STACKIT_VENDOR_PROJECT_ID is not set).",
            )
        })?;
        let report = crate::jobs::sync::run_once(client, &self.db).await.map_err(|error| {
            tracing::warn!("sync now failed: {error:#}");
            AppError::upstream(
                "STACKIT could not be read completely; what was read is saved. Try again in a minute.",
            )
        })?;
        Ok((report.new, report.changed, report.unchanged))
    }

    async fn audit(&self, filter: &AuditFilter, locale: Locale) -> Result<Vec<AuditEntry>, AppError> {
        let clean =
            |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let actor = clean(&filter.operator).map(|id| Actor::Operator(id.to_string()).to_string());
        let rows = events::audit(
            self.db.pool(),
            actor.as_deref(),
            clean(&filter.order).as_deref(),
            clean(&filter.action).as_deref(),
            filter.before,
            100,
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let detail = serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null);
                AuditEntry {
                    id: row.id,
                    at_ms: row.created_at_ms,
                    actor_id: Actor::parse(&row.actor).operator_id().map(str::to_string),
                    actor: actor_name(&row.actor, row.actor_name),
                    summary: summary(&row.kind, &detail, locale),
                    kind: row.kind,
                    subscription_id: row.subscription_id,
                }
            })
            .collect())
    }

    async fn inbox(&self, query: &InboxQuery, viewer: &Operator) -> Result<InboxPage, AppError> {
        let now = now_ms();
        let filter = crate::orders::inbox::filter(query, &viewer.id, now, PAGE_SIZE + 1)?;
        // Before the rows: a change made while they are read shows as one after the cursor.
        let cursor = live::latest(self.db.pool()).await?;
        let newest_first = filter.newest_first;
        let pool = self.db.pool();
        let mut rows = inbox::inbox(&self.db, &filter).await?;
        let next = (rows.len() > usize::try_from(PAGE_SIZE).unwrap_or(50)).then(|| {
            rows.truncate(usize::try_from(PAGE_SIZE).unwrap_or(50));
            let last = &rows[rows.len() - 1];
            if newest_first {
                encode_cursor(0, last.ordered_at_ms, &last.subscription_id)
            } else {
                encode_cursor(last.rank, last.deadline_ms, &last.subscription_id)
            }
        });
        let products = self.products.get(pool).await?.as_ref().clone();
        let total = self.counts.total(&self.db, &filter, cursor).await?;
        let views = self.counts.views(&self.db, &viewer.id, now, cursor).await?;
        Ok(InboxPage {
            rows: rows.into_iter().map(inbox_row).collect(),
            next,
            products,
            now_ms: now,
            total,
            views,
            cursor,
        })
    }

    async fn neighbours(
        &self,
        query: &InboxQuery,
        subscription_id: &str,
        viewer: &Operator,
    ) -> Result<Neighbours, AppError> {
        let view = InboxQuery { after: None, ..query.clone() };
        let filter = crate::orders::inbox::filter(&view, &viewer.id, now_ms(), 1)?;
        let (previous, next) = crate::orders::inbox::neighbours(&self.db, &filter, subscription_id).await?;
        let back = match view.query_string(None) {
            filter if filter.is_empty() => "/orders".to_string(),
            filter => format!("/orders?{filter}"),
        };
        Ok(Neighbours { previous, next, back })
    }

    async fn order(&self, subscription_id: &str, locale: Locale) -> Result<OrderDetail, AppError> {
        let pool = self.db.pool();
        let cursor = live::latest(pool).await?;
        let row = orders::get(pool, subscription_id).await?.ok_or(AppError::NotFound)?;
        let line = inbox::inbox_row(pool, subscription_id).await?.ok_or(AppError::NotFound)?;
        let work = work::work(pool, subscription_id).await?.unwrap_or_default();
        let steps = setup::steps(pool, subscription_id).await?;
        let notes = notes::for_order(pool, subscription_id).await?;
        let history = events::for_order_with_names(pool, subscription_id).await?;
        let operators = crate::db::operators::workers(pool).await?;
        let customer_accounts = crate::db::teams::project_readers(pool, &row.project_id)
            .await?
            .into_iter()
            .map(|(email, _)| email)
            .collect();
        let decision = decision_status(pool, &work).await?;
        let (replaces, replaced_by) = plan_changes::plan_history(pool, subscription_id).await?;
        Ok(OrderDetail {
            decision,
            replaces,
            replaced_by,
            fields: stackit_fields(&row, locale),
            consumer_notification_email: row.consumer_notification_email.clone(),
            customer_accounts,
            instance_target: row.instance_target.clone(),
            product_is_preview: row.product_lifecycle_state == "PRODUCT_PREVIEW",
            decision_state: work.decision(),
            decision_error: work.decision_error,
            assignee_id: work.assignee_id,
            steps: steps
                .into_iter()
                .map(|s| Step {
                    id: s.id,
                    key: s.step_key,
                    title: s.title,
                    description: s.description,
                    customer_visible: s.customer_visible == 1,
                    done_at_ms: s.done_at_ms,
                    done_by: s.done_by_name,
                })
                .collect(),
            notes: notes
                .into_iter()
                .map(|n| Note { author: n.author, body: n.body, created_at_ms: n.created_at_ms })
                .collect(),
            timeline: history
                .into_iter()
                .map(|e| {
                    let detail = serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null);
                    TimelineEntry {
                        summary: summary(&e.kind, &detail, locale),
                        kind: e.kind,
                        actor: actor_name(&e.actor, e.actor_name),
                        at_ms: e.created_at_ms,
                    }
                })
                .collect(),
            operators,
            row: inbox_row(line),
            now_ms: now_ms(),
            cursor,
        })
    }

    async fn set_contact_email(
        &self,
        subscription_id: &str,
        email: &str,
        by: &Operator,
    ) -> Result<(), AppError> {
        let email = EmailAddress::parse(email)?;
        let email = email.as_str();
        let mut tx = self.db.begin_write().await?;
        if !work::set_contact_email(&mut tx, subscription_id, email, "operator").await? {
            return Err(AppError::NotFound);
        }
        let event = NewEvent {
            subscription_id: Some(subscription_id),
            kind: EventKind::ContactChanged,
            actor: &by.actor(),
            detail: serde_json::json!({ "email": email }),
        };
        events::record(&mut *tx, &event).await?;
        Ok(tx.commit().await?)
    }

    async fn set_step(
        &self,
        subscription_id: &str,
        step_id: &str,
        done: bool,
        by: &Operator,
    ) -> Result<(), AppError> {
        let mut tx = self.db.begin_write().await?;
        let Some((title, visible)) = setup::step_title(&mut tx, subscription_id, step_id).await? else {
            return Err(AppError::NotFound);
        };
        let changed =
            setup::set_step(&mut tx, subscription_id, step_id, done.then(|| by.actor()).as_ref()).await?;
        if changed {
            let kind = if done { EventKind::StepDone } else { EventKind::StepUndone };
            let event = NewEvent {
                subscription_id: Some(subscription_id),
                kind,
                actor: &by.actor(),
                detail: serde_json::json!({ "step": title, "step_id": step_id }),
            };
            events::record(&mut *tx, &event).await?;
            if done && visible == 1 {
                let notice = Notice::StepDone { step_id: step_id.to_string(), title: title.clone() };
                notify::queue(&mut *tx, subscription_id, &notice).await?;
            }
        }
        Ok(tx.commit().await?)
    }

    async fn add_note(&self, subscription_id: &str, body: &str, by: &Operator) -> Result<(), AppError> {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 10_000 {
            return Err(AppError::invalid("body", "Write between 1 and 10,000 characters."));
        }
        let mut tx = self.db.begin_write().await?;
        if work::work_for_update(&mut tx, subscription_id).await?.is_none() {
            return Err(AppError::NotFound);
        }
        notes::add(&mut tx, subscription_id, &by.actor(), body).await?;
        let event = NewEvent {
            subscription_id: Some(subscription_id),
            kind: EventKind::NoteAdded,
            actor: &by.actor(),
            detail: serde_json::json!({}),
        };
        events::record(&mut *tx, &event).await?;
        Ok(tx.commit().await?)
    }

    async fn assign(
        &self,
        subscription_id: &str,
        assignee: Option<&str>,
        by: &Operator,
    ) -> Result<(), AppError> {
        let pool = self.db.pool();
        let name = match assignee {
            Some(id) => {
                let workers = crate::db::operators::workers(pool).await?;
                let found = workers.into_iter().find(|(worker, _)| worker == id);
                Some(found.ok_or_else(|| AppError::invalid("assignee", "Choose an active operator."))?.1)
            }
            None => None,
        };
        let mut tx = crate::db::begin(pool).await?;
        if !work::set_assignee(&mut tx, subscription_id, assignee).await? {
            return Err(AppError::NotFound);
        }
        let event = NewEvent {
            subscription_id: Some(subscription_id),
            kind: EventKind::OrderAssigned,
            actor: &by.actor(),
            detail: serde_json::json!({ "to": name }),
        };
        events::record(&mut *tx, &event).await?;
        Ok(tx.commit().await?)
    }

    async fn approve(
        &self,
        subscription_id: &str,
        instance_target: Option<&str>,
        by: &Operator,
    ) -> Result<(), AppError> {
        let client = self.client.as_ref();
        let job_id =
            decisions::queue_approval(&self.db, client, subscription_id, instance_target, by).await?;
        self.worker.send_decision_now(&job_id).await
    }

    async fn reject(&self, subscription_id: &str, reason: &str, by: &Operator) -> Result<(), AppError> {
        let client = self.client.as_ref();
        let job_id = decisions::queue_rejection(&self.db, client, subscription_id, reason, by).await?;
        self.worker.send_decision_now(&job_id).await
    }
}
