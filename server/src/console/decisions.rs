//! Approving and rejecting at STACKIT, exactly once, through the outbox.
//!
//! An operator's decision is claimed on the order by a conditional update (double clicks, two
//! operators, retried requests: one wins) and queued as a job in the same transaction, so it is
//! never lost. The request then sends it at once, so the operator usually sees STACKIT's answer;
//! when STACKIT cannot be reached the job stays queued and the runner retries it with growing
//! pauses. Every attempt after the first reads the subscription first: if STACKIT already has the
//! decision (an answer lost, a worker killed mid-call), the job is done without a second call.

use app::error::AppError;
use app::model::{LifecycleState, Operator};
use serde::{Deserialize, Serialize};

use super::orders::{DbOrderStore, actor};
use crate::db::events::{self, NewEvent};
use crate::db::jobs::{self, JobRow, NewJob};
use crate::db::orders;
use crate::jobs::runner::Worker;
use crate::marketplace::client::VendorClient;
use crate::marketplace::error::VendorApiError;
use crate::marketplace::model::{Subscription, SubscriptionState};
use crate::orders::reconcile::{SyncReport, apply_page};

/// Jobs that carry a decision to STACKIT.
pub const JOB_KIND: &str = "stackit.decision";

/// Attempts before a decision job is dead (with the default pauses: about four hours).
const MAX_ATTEMPTS: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    /// The order's `decision_state` while the decision is under way.
    pub fn claim(self) -> &'static str {
        match self {
            Decision::Approve => "approving",
            Decision::Reject => "rejecting",
        }
    }
    fn verb(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Reject => "rejected",
        }
    }
    fn reached(self) -> SubscriptionState {
        match self {
            Decision::Approve => SubscriptionState::Active,
            Decision::Reject => SubscriptionState::Rejected,
        }
    }
}

/// A decision job's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionJob {
    pub subscription_id: String,
    pub decision: Decision,
    #[serde(default)]
    pub instance_target: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// Who decided, for the event that records the outcome.
    pub actor: String,
}

/// How a send ended, when it ended (a transient failure is an `Err`, and the job comes back).
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// STACKIT has the decision.
    Done,
    /// STACKIT will not take it; the message says why and what the order is now.
    Refused(String),
    /// The job was no longer ours to finish (its lease ran out and another worker took it).
    Lost,
}

fn client(worker: &Worker) -> Result<&VendorClient, AppError> {
    worker.client.as_ref().ok_or_else(|| {
        AppError::upstream("Orderdesk is not connected to STACKIT (STACKIT_VENDOR_PROJECT_ID is not set).")
    })
}

pub async fn approve(
    store: &DbOrderStore,
    id: &str,
    instance_target: Option<&str>,
    by: &Operator,
) -> Result<(), AppError> {
    decide(store, id, Decision::Approve, instance_target, None, by).await
}

pub async fn reject(store: &DbOrderStore, id: &str, reason: &str, by: &Operator) -> Result<(), AppError> {
    let row = orders::get(store.db.pool(), id).await?.ok_or(AppError::NotFound)?;
    if row.product_lifecycle_state != "PRODUCT_PREVIEW" {
        return Err(AppError::conflict(
            "Only orders of preview products can be rejected. A live product's order times out, or STACKIT's portal refuses it.",
        ));
    }
    decide(store, id, Decision::Reject, None, Some(reason), by).await
}

/// Queues the decision with the order's claim, then sends it in this request. Ok when STACKIT
/// has it, or when it could not be reached and the job will try again (the order page says so).
async fn decide(
    store: &DbOrderStore,
    id: &str,
    decision: Decision,
    instance_target: Option<&str>,
    reason: Option<&str>,
    by: &Operator,
) -> Result<(), AppError> {
    let worker = &store.worker;
    client(worker)?;
    let pool = store.db.pool();
    let payload = DecisionJob {
        subscription_id: id.to_string(),
        decision,
        instance_target: instance_target.map(str::to_string),
        reason: reason.map(str::to_string),
        actor: actor(by),
    };
    let job_id = queue(store, &payload).await?;
    let Some(job) = jobs::claim_one(pool, &job_id, &worker.name, worker.lease_ms).await? else {
        return Ok(()); // The runner took it first; the order page shows how it goes.
    };
    match send(worker, &job).await {
        Ok(Sent::Done | Sent::Lost) => Ok(()),
        Ok(Sent::Refused(message)) => Err(AppError::conflict(message)),
        Err(error) => {
            worker.failed(&job, &error).await.map_err(|error| {
                tracing::error!("{error:#}");
                AppError::Internal
            })?;
            Ok(())
        }
    }
}

/// Claims the order's decision and queues its job, in one transaction; a clear conflict when the
/// order is not pending or another decision is under way.
async fn queue(store: &DbOrderStore, payload: &DecisionJob) -> Result<String, AppError> {
    let pool = store.db.pool();
    let id = payload.subscription_id.as_str();
    let mut tx = crate::db::begin(pool).await?;
    let job = NewJob {
        kind: JOB_KIND,
        payload: serde_json::to_value(payload).map_err(|_| AppError::Internal)?,
        max_attempts: MAX_ATTEMPTS,
        dedupe_key: None,
    };
    let job_id = jobs::enqueue(&mut *tx, &job).await?;
    if !orders::claim_decision(&mut tx, id, payload.decision.claim(), &job_id).await? {
        drop(tx);
        let row = orders::get(pool, id).await?.ok_or(AppError::NotFound)?;
        let work = orders::work(pool, id).await?.unwrap_or_default();
        let state = LifecycleState::from_wire(&row.lifecycle_state);
        return Err(AppError::conflict(match (state, work.decision_state.as_deref()) {
            (LifecycleState::Pending, Some("approving")) => {
                "This order's approval is already on its way to STACKIT.".to_string()
            }
            (LifecycleState::Pending, Some(_)) => {
                "This order's rejection is already on its way to STACKIT.".into()
            }
            _ => format!(
                "This order is {} now, so it cannot be {}.",
                state.label().to_lowercase(),
                payload.decision.verb()
            ),
        }));
    }
    let detail = serde_json::json!({ "decision": payload.decision.verb(), "job": job_id });
    events::record(
        &mut *tx,
        &NewEvent { subscription_id: Some(id), kind: "decision.queued", actor: &payload.actor, detail },
    )
    .await?;
    tx.commit().await?;
    Ok(job_id)
}

/// Sends one claimed decision job. `Err` is a failure worth another attempt (STACKIT unreachable,
/// busy, or its answer and its record both lost); the caller records it on the job.
pub async fn send(worker: &Worker, job: &JobRow) -> anyhow::Result<Sent> {
    let payload: DecisionJob = serde_json::from_str(&job.payload)
        .map_err(|error| anyhow::anyhow!("unreadable decision job: {error}"))?;
    let client = client(worker).map_err(|error| anyhow::anyhow!("{error}"))?;
    let id = payload.subscription_id.as_str();
    let decision = payload.decision;
    // A retry, or a job taken over from a worker that died: STACKIT may have the decision already.
    if job.attempts > 1 {
        let current = client.get(id, true).await?;
        if current.lifecycle_state != SubscriptionState::Pending {
            return finish(worker, job, &payload, Some(&current), None).await;
        }
    }
    let sent = match decision {
        Decision::Approve => client.approve(id, payload.instance_target.as_deref()).await,
        Decision::Reject => client.reject(id).await,
    };
    // Whatever STACKIT answered, its own record decides what the order is now.
    match (sent, client.get(id, true).await) {
        (_, Ok(current)) if current.lifecycle_state != SubscriptionState::Pending => {
            finish(worker, job, &payload, Some(&current), None).await
        }
        (Ok(()), Ok(current)) => finish(worker, job, &payload, Some(&current), None).await,
        (Ok(()), Err(_)) => finish(worker, job, &payload, None, None).await,
        (Err(error), Ok(current)) if !error.is_transient() => {
            finish(worker, job, &payload, Some(&current), Some(&error)).await
        }
        (Err(error), _) => Err(error.into()),
    }
}

/// Records how a decision ended, with the job's completion, in one transaction.
async fn finish(
    worker: &Worker,
    job: &JobRow,
    payload: &DecisionJob,
    current: Option<&Subscription>,
    refusal: Option<&VendorApiError>,
) -> anyhow::Result<Sent> {
    let db = &worker.db;
    let id = payload.subscription_id.as_str();
    let decision = payload.decision;
    if let Some(subscription) = current {
        apply_page(db, std::slice::from_ref(subscription), &mut SyncReport::default()).await?;
    }
    let reached = match current {
        Some(subscription) => {
            subscription.lifecycle_state == decision.reached()
                // STACKIT took it without error but still shows it pending: it has the
                // decision (the sync shows the state once STACKIT does).
                || (refusal.is_none() && subscription.lifecycle_state == SubscriptionState::Pending)
        }
        None => true,
    };
    let mut tx = db.begin().await?;
    if !jobs::complete(&mut *tx, &job.id, &worker.name).await? {
        return Ok(Sent::Lost);
    }
    let outcome = if reached {
        if current.is_none() {
            orders::set_state(&mut tx, id, decision.reached().as_wire()).await?;
        }
        let target = payload.instance_target.as_deref();
        let reason = payload.reason.as_deref();
        if orders::end_decision(&mut tx, id, &job.id, None, target, reason).await? {
            let (kind, detail) = match decision {
                Decision::Approve => ("order.approved", serde_json::json!({ "instance_target": target })),
                Decision::Reject => ("order.rejected", serde_json::json!({ "reason": reason })),
            };
            events::record(
                &mut *tx,
                &NewEvent { subscription_id: Some(id), kind, actor: &payload.actor, detail },
            )
            .await?;
        }
        tracing::info!(subscription = %id, decision = decision.verb(), attempt = job.attempts, "decision sent to STACKIT");
        Sent::Done
    } else {
        let state = current.map(|s| s.lifecycle_state.as_wire().to_string()).unwrap_or_default();
        let message = match refusal {
            Some(VendorApiError::Status { message, .. }) => {
                format!("STACKIT refused: {message}. The order is {state} at STACKIT.")
            }
            Some(error) => format!("STACKIT refused: {error}. The order is {state} at STACKIT."),
            None => format!("The order is {state} at STACKIT, so it was not {}.", decision.verb()),
        };
        record_failure(&mut tx, id, &job.id, &payload.actor, decision, &message).await?;
        tracing::warn!(subscription = %id, %message, "decision not taken by STACKIT");
        Sent::Refused(message)
    };
    tx.commit().await?;
    Ok(outcome)
}

/// A decision job used up its attempts: the order's decision failed, with the last error.
/// Runs in the transaction that marks the job dead.
pub async fn given_up(tx: &mut sqlx::AnyConnection, job: &JobRow, last_error: &str) -> anyhow::Result<()> {
    let payload: DecisionJob = serde_json::from_str(&job.payload)?;
    let message = format!(
        "STACKIT could not be reached after {} attempts ({last_error}). An admin can retry it from the outbox.",
        job.attempts
    );
    record_failure(tx, &payload.subscription_id, &job.id, &payload.actor, payload.decision, &message).await
}

async fn record_failure(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    job_id: &str,
    actor: &str,
    decision: Decision,
    message: &str,
) -> anyhow::Result<()> {
    if orders::end_decision(tx, id, job_id, Some(message), None, None).await? {
        let detail = serde_json::json!({ "decision": decision.verb(), "error": message });
        events::record(
            &mut *tx,
            &NewEvent { subscription_id: Some(id), kind: "decision.failed", actor, detail },
        )
        .await?;
    }
    Ok(())
}

/// An admin revives a dead job. A decision job is only revived while its order still waits for
/// it (pending, and no other decision taken since), in the same transaction.
pub async fn revive(db: &crate::db::Database, job_id: &str) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let Some(job) = jobs::revive(&mut tx, job_id).await? else {
        return Err(AppError::conflict("This job is not failed (any more); nothing to retry."));
    };
    if job.kind == JOB_KIND {
        let payload: DecisionJob = serde_json::from_str(&job.payload).map_err(|_| AppError::Internal)?;
        let resumed =
            orders::resume_decision(&mut tx, &payload.subscription_id, payload.decision.claim(), job_id)
                .await?;
        if !resumed {
            return Err(AppError::conflict(
                "This order has moved on since (decided, no longer pending, or decided again): the old decision is not sent.",
            ));
        }
    }
    tx.commit().await?;
    Ok(())
}
