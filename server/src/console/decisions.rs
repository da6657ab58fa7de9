//! Approving and rejecting at STACKIT, exactly once: the decision is claimed in the database by a
//! conditional update (double clicks, two operators, retried requests: one wins), the Vendor API
//! is called once, and when STACKIT says no, or the answer is lost, the subscription is read back
//! so the order shows the real state.

use app::error::AppError;
use app::model::{LifecycleState, Operator};

use super::database_error;
use super::orders::{DbOrderStore, actor};
use crate::db::events::{self, NewEvent};
use crate::db::orders;
use crate::jobs::sync::{SyncReport, apply_page};
use crate::marketplace::client::VendorClient;
use crate::marketplace::error::VendorApiError;
use crate::marketplace::model::SubscriptionState;

#[derive(Clone, Copy, PartialEq)]
enum Decision {
    Approve,
    Reject,
}

impl Decision {
    fn claim(self) -> &'static str {
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

fn client(store: &DbOrderStore) -> Result<&VendorClient, AppError> {
    store.client.as_ref().ok_or_else(|| {
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
    let row = orders::get(store.db.pool(), id).await.map_err(database_error)?.ok_or(AppError::NotFound)?;
    if row.product_lifecycle_state != "PRODUCT_PREVIEW" {
        return Err(AppError::conflict(
            "Only orders of preview products can be rejected. A live product's order times out, or STACKIT's portal refuses it.",
        ));
    }
    decide(store, id, Decision::Reject, None, Some(reason), by).await
}

async fn decide(
    store: &DbOrderStore,
    id: &str,
    decision: Decision,
    instance_target: Option<&str>,
    reason: Option<&str>,
    by: &Operator,
) -> Result<(), AppError> {
    let client = client(store)?;
    let pool = store.db.pool();
    if !orders::claim_decision(pool, id, decision.claim()).await.map_err(database_error)? {
        let row = orders::get(pool, id).await.map_err(database_error)?.ok_or(AppError::NotFound)?;
        let work = orders::work(pool, id).await.map_err(database_error)?.unwrap_or_default();
        let state = LifecycleState::from_wire(&row.lifecycle_state);
        return Err(AppError::conflict(match (state, work.decision_state.as_deref()) {
            (LifecycleState::Pending, Some(_)) => "Another operator is deciding this order right now.".into(),
            _ => format!(
                "This order is {} now, so it cannot be {}.",
                state.label().to_lowercase(),
                decision.verb()
            ),
        }));
    }
    let sent = match decision {
        Decision::Approve => client.approve(id, instance_target).await,
        Decision::Reject => client.reject(id).await,
    };
    // Whatever STACKIT answered, its own record decides what the order is now.
    let current = client.get(id, true).await;
    if let Ok(subscription) = &current {
        apply_page(&store.db, std::slice::from_ref(subscription), &mut SyncReport::default()).await.map_err(
            |error| {
                tracing::error!("{error:#}");
                AppError::Internal
            },
        )?;
    }
    let reached = match (&sent, &current) {
        (_, Ok(subscription)) => subscription.lifecycle_state == decision.reached(),
        (Ok(()), Err(_)) => true,
        (Err(_), Err(_)) => false,
    };
    let mut tx = pool.begin().await.map_err(database_error)?;
    let who = actor(by);
    if reached {
        if current.is_err() {
            orders::set_state(&mut tx, id, decision.reached().as_wire()).await.map_err(database_error)?;
        }
        orders::end_decision(&mut tx, id, None, instance_target, reason).await.map_err(database_error)?;
        let (kind, detail) = match decision {
            Decision::Approve => {
                ("order.approved", serde_json::json!({ "instance_target": instance_target }))
            }
            Decision::Reject => ("order.rejected", serde_json::json!({ "reason": reason })),
        };
        events::record(&mut *tx, &NewEvent { subscription_id: Some(id), kind, actor: &who, detail })
            .await
            .map_err(database_error)?;
        tx.commit().await.map_err(database_error)?;
        tracing::info!(subscription = %id, decision = decision.verb(), "decision sent to STACKIT");
        return Ok(());
    }
    let message = match (&sent, &current) {
        (Err(VendorApiError::Status { message, .. }), Ok(subscription)) => {
            format!(
                "STACKIT refused: {message}. The order is {} at STACKIT.",
                subscription.lifecycle_state.as_wire()
            )
        }
        (_, Ok(subscription)) => {
            format!("The order is {} at STACKIT.", subscription.lifecycle_state.as_wire())
        }
        (Err(error), Err(_)) => format!(
            "STACKIT could not be reached ({error}); the order's state there is unknown until the next sync."
        ),
        (Ok(()), Err(_)) => "STACKIT could not be read back.".into(),
    };
    orders::end_decision(&mut tx, id, Some(&message), None, None).await.map_err(database_error)?;
    let detail = serde_json::json!({ "decision": decision.verb(), "error": message });
    events::record(
        &mut *tx,
        &NewEvent { subscription_id: Some(id), kind: "decision.failed", actor: &who, detail },
    )
    .await
    .map_err(database_error)?;
    tx.commit().await.map_err(database_error)?;
    tracing::warn!(subscription = %id, %message, "decision not taken by STACKIT");
    Err(match current {
        Ok(_) => AppError::conflict(message),
        Err(_) => AppError::upstream(message),
    })
}
