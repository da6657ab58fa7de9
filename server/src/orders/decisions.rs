//! Approving and rejecting at STACKIT, exactly once, through the outbox (a service: the web edge
//! queues a decision and asks the job runner to send it at once; the runner retries it).
//!
//! An operator's decision is claimed on the order by a conditional update (double clicks, two
//! operators, retried requests: one wins) and queued as a job in the same transaction, so it is
//! never lost. The request then sends it at once, so the operator usually sees STACKIT's answer;
//! when STACKIT cannot be reached the job stays queued and the runner retries it with growing
//! pauses. Every attempt after the first reads the subscription first: if STACKIT already has the
//! decision (an answer lost, a worker killed mid-call), the job is done without a second call.

use app::error::AppError;
use app::model::{Actor, DecisionPhase, DecisionState, DecisionStatus, EventKind, LifecycleState, Operator};
use serde::{Deserialize, Serialize};

use super::reconcile::{SyncReport, apply_page};
use crate::db::events::{self, NewEvent};
use crate::db::jobs::{self, JobRow, NewJob};
use crate::db::{Database, orders, work};
use crate::marketplace::client::VendorClient;
use crate::marketplace::error::VendorApiError;
use crate::marketplace::model::Subscription;

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
    /// The order's decision state while the decision is under way.
    pub fn claim(self) -> DecisionState {
        match self {
            Decision::Approve => DecisionState::Approving,
            Decision::Reject => DecisionState::Rejecting,
        }
    }
    fn verb(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Reject => "rejected",
        }
    }
    fn reached(self) -> LifecycleState {
        match self {
            Decision::Approve => LifecycleState::Active,
            Decision::Reject => LifecycleState::Rejected,
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
    pub actor: Actor,
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

/// What sending a decision needs: the database, STACKIT, and the name under which the caller
/// holds the job's lease (only the holder may complete it).
pub struct Sender<'a> {
    pub db: &'a Database,
    pub client: Option<&'a VendorClient>,
    pub holder: &'a str,
}

fn connected(client: Option<&VendorClient>) -> Result<&VendorClient, AppError> {
    client.ok_or_else(|| {
        AppError::upstream("Orderdesk is not connected to STACKIT (STACKIT_VENDOR_PROJECT_ID is not set).")
    })
}

/// Claims the order for approval and queues the job that carries it to STACKIT; gives the job's
/// ID for the caller to send at once (the runner sends it otherwise).
pub async fn queue_approval(
    db: &Database,
    client: Option<&VendorClient>,
    id: &str,
    instance_target: Option<&str>,
    by: &Operator,
) -> Result<String, AppError> {
    connected(client)?;
    queue(db, &DecisionJob::new(id, Decision::Approve, instance_target, None, by)).await
}

/// Like [`queue_approval`], for rejecting; only preview products' orders can be rejected.
pub async fn queue_rejection(
    db: &Database,
    client: Option<&VendorClient>,
    id: &str,
    reason: &str,
    by: &Operator,
) -> Result<String, AppError> {
    connected(client)?;
    let row = orders::get(db.pool(), id).await?.ok_or(AppError::NotFound)?;
    if row.product_lifecycle_state != "PRODUCT_PREVIEW" {
        return Err(AppError::conflict(
            "Only orders of preview products can be rejected. A live product's order times out, or STACKIT's portal refuses it.",
        ));
    }
    queue(db, &DecisionJob::new(id, Decision::Reject, None, Some(reason), by)).await
}

impl DecisionJob {
    fn new(id: &str, decision: Decision, target: Option<&str>, reason: Option<&str>, by: &Operator) -> Self {
        DecisionJob {
            subscription_id: id.to_string(),
            decision,
            instance_target: target.map(str::to_string),
            reason: reason.map(str::to_string),
            actor: by.actor(),
        }
    }
}

/// Claims the order's decision and queues its job, in one transaction; a clear conflict when the
/// order is not pending or another decision is under way.
async fn queue(db: &Database, payload: &DecisionJob) -> Result<String, AppError> {
    let pool = db.pool();
    let id = payload.subscription_id.as_str();
    let mut tx = crate::db::begin(pool).await?;
    let job = NewJob {
        kind: JOB_KIND,
        payload: serde_json::to_value(payload).map_err(|_| AppError::Internal)?,
        max_attempts: MAX_ATTEMPTS,
        dedupe_key: None,
    };
    let job_id = jobs::enqueue(&mut *tx, &job).await?;
    if !work::claim_decision(&mut tx, id, payload.decision.claim(), &job_id).await? {
        drop(tx);
        let row = orders::get(pool, id).await?.ok_or(AppError::NotFound)?;
        let work = work::work(pool, id).await?.unwrap_or_default();
        let state = LifecycleState::from_wire(&row.lifecycle_state);
        return Err(AppError::conflict(match (state, work.decision()) {
            (LifecycleState::Pending, Some(DecisionState::Approving)) => {
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
        &NewEvent {
            subscription_id: Some(id),
            kind: EventKind::DecisionQueued,
            actor: &payload.actor,
            detail,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(job_id)
}

/// Sends one claimed decision job. `Err` is a failure worth another attempt (STACKIT unreachable,
/// busy, or its answer and its record both lost); the caller records it on the job.
pub async fn send(sender: &Sender<'_>, job: &JobRow) -> anyhow::Result<Sent> {
    let payload: DecisionJob = serde_json::from_str(&job.payload)
        .map_err(|error| anyhow::anyhow!("unreadable decision job: {error}"))?;
    let client = connected(sender.client).map_err(|error| anyhow::anyhow!("{error}"))?;
    let id = payload.subscription_id.as_str();
    let decision = payload.decision;
    // A retry, or a job taken over from a sender that died: STACKIT may have the decision already.
    if job.attempts > 1 {
        let current = client.get(id, true).await?;
        if current.state() != LifecycleState::Pending {
            return finish(sender, job, &payload, Some(&current), None).await;
        }
    }
    let sent = match decision {
        Decision::Approve => client.approve(id, payload.instance_target.as_deref()).await,
        Decision::Reject => client.reject(id).await,
    };
    // Whatever STACKIT answered, its own record decides what the order is now.
    match (sent, client.get(id, true).await) {
        (_, Ok(current)) if current.state() != LifecycleState::Pending => {
            finish(sender, job, &payload, Some(&current), None).await
        }
        (Ok(()), Ok(current)) => finish(sender, job, &payload, Some(&current), None).await,
        (Ok(()), Err(_)) => finish(sender, job, &payload, None, None).await,
        (Err(error), Ok(current)) if !error.is_transient() => {
            finish(sender, job, &payload, Some(&current), Some(&error)).await
        }
        (Err(error), _) => Err(error.into()),
    }
}

/// Records how a decision ended, with the job's completion, in one transaction.
async fn finish(
    sender: &Sender<'_>,
    job: &JobRow,
    payload: &DecisionJob,
    current: Option<&Subscription>,
    refusal: Option<&VendorApiError>,
) -> anyhow::Result<Sent> {
    let db = sender.db;
    let id = payload.subscription_id.as_str();
    let decision = payload.decision;
    if let Some(subscription) = current {
        apply_page(db, std::slice::from_ref(subscription), &mut SyncReport::default()).await?;
    }
    let reached = match current {
        Some(subscription) => {
            subscription.state() == decision.reached()
                // STACKIT took it without error but still shows it pending: it has the
                // decision (the sync shows the state once STACKIT does).
                || (refusal.is_none() && subscription.state() == LifecycleState::Pending)
        }
        None => true,
    };
    let mut tx = db.begin().await?;
    if !jobs::complete(&mut *tx, &job.id, sender.holder).await? {
        return Ok(Sent::Lost);
    }
    let outcome = if reached {
        if current.is_none() {
            work::set_state(&mut tx, id, decision.reached().as_wire()).await?;
        }
        let target = payload.instance_target.as_deref();
        let reason = payload.reason.as_deref();
        if work::end_decision(&mut tx, id, &job.id, None, target, reason).await? {
            let (kind, detail) = match decision {
                Decision::Approve => {
                    (EventKind::OrderApproved, serde_json::json!({ "instance_target": target }))
                }
                Decision::Reject => (EventKind::OrderRejected, serde_json::json!({ "reason": reason })),
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
        let state = current.map(|s| s.lifecycle_state_raw.clone()).unwrap_or_default();
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
    actor: &Actor,
    decision: Decision,
    message: &str,
) -> anyhow::Result<()> {
    if work::end_decision(tx, id, job_id, Some(message), None, None).await? {
        let detail = serde_json::json!({ "decision": decision.verb(), "error": message });
        events::record(
            &mut *tx,
            &NewEvent { subscription_id: Some(id), kind: EventKind::DecisionFailed, actor, detail },
        )
        .await?;
    }
    Ok(())
}

/// An admin revives a dead job. A decision job is only revived while its order still waits for
/// it (pending, and no other decision taken since), in the same transaction.
pub async fn revive(db: &Database, job_id: &str) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let Some(job) = jobs::revive(&mut tx, job_id).await? else {
        return Err(AppError::conflict("This job is not failed (any more); nothing to retry."));
    };
    if job.kind == JOB_KIND {
        let payload: DecisionJob = serde_json::from_str(&job.payload).map_err(|_| AppError::Internal)?;
        let resumed =
            work::resume_decision(&mut tx, &payload.subscription_id, payload.decision.claim(), job_id)
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

/// Where a decision under way stands, from the job that carries it.
pub async fn decision_status(
    pool: &sqlx::AnyPool,
    work: &work::WorkRow,
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
