//! Orders for the console: counts, the inbox, the order page, and the work on an order.

use std::sync::Arc;

use app::api::ports::OrderStore;
use app::error::AppError;
use app::i18n::{FieldText, Locale, TimelineText};
use app::model::{
    Actor, AuditEntry, AuditFilter, Dashboard, DecisionPhase, DecisionState, DecisionStatus, EMAIL_HINT,
    EmailAddress, EmailSource, EventKind, InboxPage, InboxQuery, InboxRow, LifecycleState, Note, Operator,
    OrderDetail, StateCount, Step, TimelineEntry, WeekCount, approval_times, week_start,
};
use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::db::events::{self, NewEvent};
use crate::db::orders::{self, InboxDbRow, InboxFilter};
use crate::db::{Database, notes, now_ms, plan_changes, setup};
use crate::mail::notify::{self, Notice};
use crate::marketplace::client::VendorClient;
use crate::orders::decisions;

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
        let names = Arc::new(orders::products(pool).await?);
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((now, names.clone()));
        }
        Ok(names)
    }
}

fn actor(operator: &Operator) -> Actor {
    Actor::Operator(operator.id.clone())
}

fn inbox_row(row: InboxDbRow) -> InboxRow {
    InboxRow {
        state: LifecycleState::from_wire(&row.lifecycle_state),
        state_raw: row.lifecycle_state_raw,
        plan: if row.pricing_plan.is_empty() { row.plan_id } else { row.pricing_plan },
        product_name: row.product_name,
        organization_id: row.organization_id,
        project_id: row.project_id,
        contact_source: row.contact_email_source.as_deref().and_then(EmailSource::parse),
        contact_email: row.contact_email,
        ordered_at_ms: row.ordered_at_ms,
        deadline_ms: row.deadline_ms,
        assignee: row.assignee,
        steps_done: u32::try_from(row.steps_done).unwrap_or(0),
        steps_total: u32::try_from(row.steps_total).unwrap_or(0),
        replaces_plan: row.replaces_plan,
        subscription_id: row.subscription_id,
    }
}

fn encode_cursor(rank: i64, key: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{rank}:{key}:{id}"))
}

fn decode_cursor(cursor: &str) -> Result<(i64, i64, String), AppError> {
    let invalid =
        || AppError::invalid("after", "This page link is not valid any more; start from the first page.");
    let text =
        String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, ':');
    let rank = parts.next().and_then(|p| p.parse().ok()).ok_or_else(invalid)?;
    let key = parts.next().and_then(|p| p.parse().ok()).ok_or_else(invalid)?;
    let id = parts.next().filter(|p| !p.is_empty()).ok_or_else(invalid)?.to_string();
    Ok((rank, key, id))
}

/// A state filter from the address: a known wire value or nothing.
fn state_filter(state: Option<&str>) -> Result<Option<String>, AppError> {
    match state.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(state) if LifecycleState::from_wire(state) != LifecycleState::Unknown || state == "UNKNOWN" => {
            Ok(Some(state.to_string()))
        }
        Some(_) => Err(AppError::invalid("state", "Choose a state from the list.")),
    }
}

/// Labels for the fields STACKIT sends, in the spec's order, in the reader's language.
fn stackit_fields(row: &orders::OrderRow, locale: Locale) -> Vec<(String, String)> {
    use FieldText as F;
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let duration = |raw: &str, secs: Option<i64>| match secs {
        Some(s) if s % 86_400 == 0 => locale.f(F::Days, &[("n", &(s / 86_400)), ("raw", &raw)]),
        Some(s) => locale.f(F::Seconds, &[("n", &s), ("raw", &raw)]),
        None if raw.is_empty() => "—".into(),
        None => raw.to_string(),
    };
    let yes_no = |v: i64| locale.t(if v == 1 { F::Yes } else { F::No }).to_string();
    [
        (F::Subscription, row.subscription_id.clone()),
        (F::Organization, row.organization_id.clone()),
        (F::Project, row.project_id.clone()),
        (F::LifecycleState, row.lifecycle_state_raw.clone()),
        (F::OrderedAt, row.ordered_at.clone()),
        (
            F::ApprovalTimeout,
            duration(row.approval_timeout.as_deref().unwrap_or_default(), row.approval_timeout_secs),
        ),
        (F::AutoRenewal, row.auto_renewal.map_or("—".into(), yes_no)),
        (F::ValidFrom, text(&row.valid_from)),
        (F::ValidUntil, text(&row.valid_until)),
        (F::TerminatesAt, text(&row.terminates_at)),
        (F::Product, format!("{} ({})", row.product_name, row.product_id)),
        (F::ProductState, row.product_lifecycle_state.clone()),
        (F::Plan, row.plan_id.clone()),
        (F::PricingPlan, row.pricing_plan.clone()),
        (F::PriceType, row.price_type.clone()),
        (F::Rate, row.rate.clone()),
        (F::ValidityPeriod, duration(&row.validity_period, row.validity_period_secs)),
        (F::NoticePeriod, duration(&row.notice_period, row.notice_period_secs)),
        (F::DeliveryMethod, row.delivery_method.clone()),
        (F::VendorPlanId, text(&row.vendor_plan_id)),
        (F::VendorProductId, text(&row.vendor_product_id)),
        (F::Vendor, format!("{} ({})", row.vendor_name, row.vendor_website_url)),
    ]
    .into_iter()
    .map(|(label, value)| (locale.t(label).to_string(), value))
    .collect()
}

/// Who did it, in words: an operator's name, STACKIT, or Orderdesk itself.
fn actor_name(actor: &str, operator_name: Option<String>) -> String {
    operator_name.unwrap_or_else(|| match Actor::parse(actor) {
        Actor::Stackit => "STACKIT".into(),
        Actor::Operator(_) | Actor::Orderdesk => "Orderdesk".into(),
    })
}

/// Where a decision under way stands, from the job that carries it.
async fn decision_status(
    pool: &sqlx::AnyPool,
    work: &orders::WorkRow,
) -> crate::db::Result<Option<DecisionStatus>> {
    let approve = match work.decision() {
        Some(DecisionState::Approving) => true,
        Some(DecisionState::Rejecting) => false,
        Some(DecisionState::Failed) | None => return Ok(None),
    };
    let Some(job_id) = work.decision_job_id.as_deref() else { return Ok(None) };
    let Some(job) = crate::db::jobs::get(pool, job_id).await? else { return Ok(None) };
    let phase = match (job.state.as_str(), job.attempts) {
        ("running", _) => DecisionPhase::Sending,
        ("queued", 0) => DecisionPhase::Queued,
        ("queued", _) => DecisionPhase::Retrying,
        _ => return Ok(None),
    };
    Ok(Some(DecisionStatus {
        approve,
        phase,
        attempts: job.attempts,
        next_attempt_ms: (job.state == "queued").then_some(job.run_at_ms),
        last_error: job.last_error,
    }))
}

/// A timeline line from an event, in the reader's language.
fn summary(kind: &str, detail: &serde_json::Value, locale: Locale) -> String {
    use TimelineText as T;
    let field = |name: &str| detail.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let one = |key: T, name: &str| locale.f(key, &[(name, &field(name))]);
    let Some(known) = EventKind::parse(kind) else { return kind.to_string() };
    match known {
        EventKind::OrderCreated => one(T::Created, "state"),
        EventKind::StateChanged => {
            locale.f(T::StateChanged, &[("from", &field("from")), ("to", &field("to"))])
        }
        EventKind::OrderUpdated => locale.t(T::Updated).into(),
        EventKind::StepDone => one(T::StepDone, "step"),
        EventKind::StepUndone => one(T::StepUndone, "step"),
        EventKind::NoteAdded => locale.t(T::NoteAdded).into(),
        EventKind::ContactChanged => one(T::ContactChanged, "email"),
        EventKind::OrderAssigned => match detail.get("to").and_then(|v| v.as_str()) {
            Some(name) => locale.f(T::Assigned, &[("name", &name)]),
            None => locale.t(T::Unassigned).into(),
        },
        EventKind::OrderApproved => match detail.get("instance_target").and_then(|v| v.as_str()) {
            Some(url) => locale.f(T::ApprovedWithInstance, &[("url", &url)]),
            None => locale.t(T::Approved).into(),
        },
        EventKind::OrderRejected => one(T::Rejected, "reason"),
        EventKind::DecisionFailed => one(T::DecisionFailed, "error"),
        EventKind::StepsCarried => {
            let steps: Vec<&str> = detail
                .get("steps")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
                .unwrap_or_default();
            locale.f(T::StepsCarried, &[("steps", &steps.join(", ")), ("from", &field("from"))])
        }
        EventKind::DecisionQueued => match detail.get("decision").and_then(|v| v.as_str()) {
            Some("rejected") => locale.t(T::RejectionQueued).into(),
            _ => locale.t(T::ApprovalQueued).into(),
        },
        EventKind::PlanChangedFrom | EventKind::PlanChangedTo => {
            let text = |key: &str| detail.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let (key, id) = if known == EventKind::PlanChangedFrom {
                (T::PlanChangedFrom, text("from"))
            } else {
                (T::PlanChangedTo, text("to"))
            };
            locale.f(key, &[("id", &id), ("from", &text("from_plan")), ("to", &text("to_plan"))])
        }
    }
}

#[async_trait]
impl OrderStore for DbOrderStore {
    async fn order_counts(&self) -> Result<Vec<StateCount>, AppError> {
        let rows = orders::counts_by_state(self.db.pool()).await?;
        Ok(rows
            .into_iter()
            .map(|(state, count)| StateCount {
                state: LifecycleState::from_wire(&state),
                count: u64::try_from(count).unwrap_or_default(),
            })
            .collect())
    }

    async fn dashboard(&self, now_ms: i64) -> Result<Dashboard, AppError> {
        const DAY: i64 = 86_400_000;
        let pool = self.db.pool();
        let counts = self.order_counts().await?;
        let (overdue, due_soon) = orders::deadline_counts(pool, now_ms, 3 * DAY).await?;
        let activations = orders::activations_since(pool, now_ms - 90 * DAY).await?;
        let hours = |since: i64| {
            activations
                .iter()
                .filter(|(_, valid)| *valid >= since)
                .map(|(ordered, valid)| (valid - ordered).max(0) as f64 / 3_600_000.0)
                .collect::<Vec<_>>()
        };
        let this_week = week_start(now_ms);
        let weekly = (0..12)
            .rev()
            .map(|back| {
                let start = this_week - back * 7 * DAY;
                let approved =
                    activations.iter().filter(|(_, v)| *v >= start && *v < start + 7 * DAY).count();
                WeekCount { week_start_ms: start, approved: approved as u64 }
            })
            .collect();
        Ok(Dashboard {
            counts,
            overdue: u64::try_from(overdue).unwrap_or(0),
            due_soon: u64::try_from(due_soon).unwrap_or(0),
            last_30_days: approval_times(hours(now_ms - 30 * DAY)),
            last_90_days: approval_times(hours(now_ms - 90 * DAY)),
            weekly,
        })
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
        let newest_first = match query.sort.as_deref() {
            None | Some("") | Some("deadline") => false,
            Some("newest") => true,
            Some(_) => return Err(AppError::invalid("sort", "Sort by deadline or newest.")),
        };
        let (assignee_id, unassigned) = match query.assigned.as_deref() {
            None | Some("") => (None, false),
            Some("me") => (Some(viewer.id.clone()), false),
            Some("none") => (None, true),
            Some(_) => return Err(AppError::invalid("assigned", "Choose me or nobody.")),
        };
        let filter = InboxFilter {
            search: query.q.clone().filter(|q| q.len() <= 200),
            state: state_filter(query.state.as_deref())?,
            product_id: query.product.clone().filter(|p| !p.is_empty()),
            overdue_at_ms: query.overdue.then_some(now),
            assignee_id,
            unassigned,
            newest_first,
            after: query.after.as_deref().filter(|a| !a.is_empty()).map(decode_cursor).transpose()?,
            limit: PAGE_SIZE + 1,
        };
        let pool = self.db.pool();
        let mut rows = orders::inbox(pool, &filter).await?;
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
        Ok(InboxPage { rows: rows.into_iter().map(inbox_row).collect(), next, products, now_ms: now })
    }

    async fn order(&self, subscription_id: &str, locale: Locale) -> Result<OrderDetail, AppError> {
        let pool = self.db.pool();
        let row = orders::get(pool, subscription_id).await?.ok_or(AppError::NotFound)?;
        let line = orders::inbox_row(pool, subscription_id).await?.ok_or(AppError::NotFound)?;
        let work = orders::work(pool, subscription_id).await?.unwrap_or_default();
        let steps = setup::steps(pool, subscription_id).await?;
        let notes = notes::for_order(pool, subscription_id).await?;
        let history = events::for_order_with_names(pool, subscription_id).await?;
        let operators = crate::db::operators::workers(pool).await?;
        let customer_accounts = crate::db::customers::project_readers(pool, &row.project_id)
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
                        actor: e.actor_name.unwrap_or_else(|| actor_name(&e.actor, None)),
                        at_ms: e.created_at_ms,
                    }
                })
                .collect(),
            operators,
            row: inbox_row(line),
            now_ms: now_ms(),
        })
    }

    async fn set_contact_email(
        &self,
        subscription_id: &str,
        email: &str,
        by: &Operator,
    ) -> Result<(), AppError> {
        let email = EmailAddress::parse(email).map_err(|_| AppError::invalid("email", EMAIL_HINT))?;
        let email = email.as_str();
        let mut tx = self.db.begin_write().await?;
        if !orders::set_contact_email(&mut tx, subscription_id, email, "operator").await? {
            return Err(AppError::NotFound);
        }
        let event = NewEvent {
            subscription_id: Some(subscription_id),
            kind: EventKind::ContactChanged,
            actor: &actor(by),
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
        let Some((title, visible)) = setup::step_title(&mut tx, step_id).await? else {
            return Err(AppError::NotFound);
        };
        let changed =
            setup::set_step(&mut tx, subscription_id, step_id, done.then_some(by.id.as_str())).await?;
        if changed {
            let kind = if done { EventKind::StepDone } else { EventKind::StepUndone };
            let event = NewEvent {
                subscription_id: Some(subscription_id),
                kind,
                actor: &actor(by),
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
        if orders::work_for_update(&mut tx, subscription_id).await?.is_none() {
            return Err(AppError::NotFound);
        }
        notes::add(&mut tx, subscription_id, &by.id, body).await?;
        let event = NewEvent {
            subscription_id: Some(subscription_id),
            kind: EventKind::NoteAdded,
            actor: &actor(by),
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
        if !orders::set_assignee(&mut tx, subscription_id, assignee).await? {
            return Err(AppError::NotFound);
        }
        let event = NewEvent {
            subscription_id: Some(subscription_id),
            kind: EventKind::OrderAssigned,
            actor: &actor(by),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_a_clear_error() {
        let cursor = encode_cursor(1, 1_795_000_000_000, "9f1c7e2a-43b5-4d8e-a1f0-2b3c4d5e6f70");
        assert_eq!(
            decode_cursor(&cursor).unwrap(),
            (1, 1_795_000_000_000, "9f1c7e2a-43b5-4d8e-a1f0-2b3c4d5e6f70".into())
        );
        for garbage in ["", "!!", "bm9wZQ", &URL_SAFE_NO_PAD.encode("1:x:y")] {
            assert!(matches!(decode_cursor(garbage), Err(AppError::Validation { .. })), "{garbage}");
        }
    }
}
