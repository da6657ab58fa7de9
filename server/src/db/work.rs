//! Our own work on an order, in the `orders` table's own columns: the assignee, the contact
//! e-mail, and where an operator's decision stands (claimed, ended, resumed); STACKIT's fields
//! are written by `db::orders` alone.

use app::model::DecisionState;
use sqlx::{AnyPool, FromRow};

/// Our own work on an order.
#[derive(Debug, Clone, Default, FromRow)]
pub struct WorkRow {
    pub assignee_id: Option<String>,
    pub decision_state: Option<String>,
    pub decision_error: Option<String>,
    /// The job that carries (or carried) the order's latest decision to STACKIT.
    pub decision_job_id: Option<String>,
}

impl WorkRow {
    /// Where the order's decision stands (a value this version does not know reads as none).
    pub fn decision(&self) -> Option<DecisionState> {
        self.decision_state.as_deref().and_then(DecisionState::parse)
    }
}

const WORK_SQL: &str = "SELECT assignee_id, decision_state, decision_error, decision_job_id FROM orders
                        WHERE subscription_id = $1";

/// The work columns of an order.
pub async fn work(pool: &AnyPool, subscription_id: &str) -> super::Result<Option<WorkRow>> {
    Ok(sqlx::query_as::<_, WorkRow>(WORK_SQL).bind(subscription_id).fetch_optional(pool).await?)
}

/// The work columns of an order, read inside a transaction (also: does the order exist).
pub async fn work_for_update(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
) -> super::Result<Option<WorkRow>> {
    Ok(sqlx::query_as::<_, WorkRow>(WORK_SQL).bind(subscription_id).fetch_optional(&mut *tx).await?)
}

/// Sets the contact e-mail and its source; false when there is no such order.
pub async fn set_contact_email(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    email: &str,
    source: &str,
) -> super::Result<bool> {
    const SQL: &str =
        "UPDATE orders SET contact_email = $2, contact_email_source = $3 WHERE subscription_id = $1";
    let result = sqlx::query(SQL).bind(subscription_id).bind(email).bind(source).execute(&mut *tx).await?;
    Ok(result.rows_affected() == 1)
}

/// Assigns an order (or unassigns it with `None`); false when there is no such order.
pub async fn set_assignee(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    assignee: Option<&str>,
) -> super::Result<bool> {
    const SQL: &str = "UPDATE orders SET assignee_id = $2 WHERE subscription_id = $1";
    let result = sqlx::query(SQL).bind(subscription_id).bind(assignee).execute(&mut *tx).await?;
    Ok(result.rows_affected() == 1)
}

/// Claims the decision on a pending order (`approving` or `rejecting`) for the job `job_id`
/// that will carry it to STACKIT. Only one caller can win: the condition is part of the
/// `UPDATE`. A failed decision may be taken again.
pub async fn claim_decision(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    decision: DecisionState,
    job_id: &str,
) -> super::Result<bool> {
    const SQL: &str = "UPDATE orders SET decision_state = $2, decision_error = NULL, decision_job_id = $3
                       WHERE subscription_id = $1 AND lifecycle_state = 'SUBSCRIPTION_PENDING'
                         AND (decision_state IS NULL OR decision_state = 'failed')";
    let result =
        sqlx::query(SQL).bind(subscription_id).bind(decision.as_str()).bind(job_id).execute(&mut *tx).await?;
    Ok(result.rows_affected() == 1)
}

/// Takes a failed decision up again for its revived job; false when the order has moved on
/// (decided since, no longer pending, or another job carries its decision now).
pub async fn resume_decision(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    decision: DecisionState,
    job_id: &str,
) -> super::Result<bool> {
    const SQL: &str = "UPDATE orders SET decision_state = $2, decision_error = NULL
                       WHERE subscription_id = $1 AND decision_job_id = $3 AND decision_state = 'failed'
                         AND lifecycle_state = 'SUBSCRIPTION_PENDING'";
    let result =
        sqlx::query(SQL).bind(subscription_id).bind(decision.as_str()).bind(job_id).execute(&mut *tx).await?;
    Ok(result.rows_affected() == 1)
}

/// Ends the decision carried by `job_id`: `error` None means it went through (the state is
/// STACKIT's, from the read-back or the caller), Some means it failed and may be taken again.
/// False when another job carries the order's decision by now (nothing is changed then).
pub async fn end_decision(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    job_id: &str,
    error: Option<&str>,
    instance_target: Option<&str>,
    rejection_reason: Option<&str>,
) -> super::Result<bool> {
    const SQL: &str = "UPDATE orders SET decision_state = CASE WHEN $2 IS NULL THEN NULL ELSE 'failed' END,
                              decision_error = $2,
                              instance_target = COALESCE($3, instance_target),
                              rejection_reason = COALESCE($4, rejection_reason)
                       WHERE subscription_id = $1 AND decision_job_id = $5";
    let result = sqlx::query(SQL)
        .bind(subscription_id)
        .bind(error)
        .bind(instance_target)
        .bind(rejection_reason)
        .bind(job_id)
        .execute(&mut *tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Sets STACKIT's state locally when the answer came but STACKIT could not be read back.
pub async fn set_state(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    state: &str,
) -> super::Result<()> {
    const SQL: &str = "UPDATE orders SET lifecycle_state = $2, lifecycle_state_raw = $2, updated_at_ms = $3,
                              queue_rank = CASE WHEN $2 = 'SUBSCRIPTION_PENDING' THEN 0 ELSE 1 END
                       WHERE subscription_id = $1";
    sqlx::query(SQL).bind(subscription_id).bind(state).bind(super::now_ms()).execute(&mut *tx).await?;
    Ok(())
}
