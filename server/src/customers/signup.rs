//! A customer's arrival from STACKIT: the redirect's token is verified and exchanged for the
//! subscription (stored through the one reconcile path), and a short-lived sign-up state links it
//! to the account the customer registers or signs in with.

use app::api::customers::SignupFailure;
use app::api::ports::{CustomerSignup, SignupStart};
use app::error::AppError;
use app::model::{Customer, SignupInfo};
use async_trait::async_trait;

use super::{DbCustomers, SIGNUP_MS, reference};
use crate::accounts::{new_token, token_hash};
use crate::db::{now_ms, orders, signups, teams};
use crate::mail::notify::Notice;
use crate::marketplace::redirect_token::RedirectTokenError;
use crate::orders::reconcile::{SyncReport, apply_page};

impl DbCustomers {
    async fn exchange(&self, token: &str, reference: &str) -> Result<String, SignupFailure> {
        let Some(marketplace) = &self.marketplace else {
            tracing::warn!(%reference, "sign-up redirect, but Orderdesk is not connected to STACKIT");
            return Err(SignupFailure::Unreachable);
        };
        let verified = marketplace.verifier.verify(token).await.map_err(|error| {
            tracing::warn!(%reference, %error, "sign-up token refused");
            match error {
                RedirectTokenError::Expired | RedirectTokenError::NotYetValid => SignupFailure::Expired,
                RedirectTokenError::KeysUnavailable(_) => SignupFailure::Unreachable,
                _ => SignupFailure::Invalid,
            }
        })?;
        let subscription = marketplace.client.resolve_customer(&verified.token).await.map_err(|error| {
            tracing::warn!(%reference, %error, "ResolveCustomer failed");
            if error.is_transient() { SignupFailure::Unreachable } else { SignupFailure::Invalid }
        })?;
        let internal = |error: anyhow::Error| {
            tracing::error!(%reference, "storing the signed-up subscription: {error:#}");
            SignupFailure::Internal
        };
        apply_page(&self.db, std::slice::from_ref(&subscription), &mut SyncReport::default())
            .await
            .map_err(internal)?;
        Ok(subscription.subscription_id.to_string())
    }

    /// Links the subscription of an open sign-up state to `customer`, and offers their address as
    /// the order's contact e-mail; its ID, or `None` when the state is claimed or expired.
    pub(super) async fn claim(
        &self,
        customer: &Customer,
        signup_token: &str,
    ) -> Result<Option<String>, AppError> {
        let pool = self.db.pool();
        let hash = token_hash(signup_token);
        let Some(signup) = signups::open_signup(pool, &hash).await? else {
            return Ok(None);
        };
        let mut claimed = false;
        let mut tx = crate::db::begin(pool).await?;
        if signups::claim_signup(&mut *tx, &hash).await? {
            claimed = true;
            teams::link_project(&mut *tx, &customer.id, &signup.project_id, "owner").await?;
            signups::offer_contact_email(&mut *tx, &signup.subscription_id, &customer.email).await?;
            let notice = Notice::Linked { customer_id: customer.id.clone() };
            crate::mail::notify::queue(&mut *tx, &signup.subscription_id, &notice).await?;
        }
        tx.commit().await?;
        if !claimed {
            return Ok(None);
        }
        tracing::info!(customer = %customer.id, subscription = %signup.subscription_id, "subscription linked to a customer");
        Ok(Some(signup.subscription_id))
    }
}

#[async_trait]
impl CustomerSignup for DbCustomers {
    async fn begin_signup(
        &self,
        marketplace_token: &str,
        previous: Option<&str>,
    ) -> Result<SignupStart, (SignupFailure, String)> {
        let reference = reference();
        let fail = |problem| (problem, reference.clone());
        let token = marketplace_token.trim();
        if token.is_empty() || token.len() > 16 * 1024 {
            tracing::warn!(%reference, "sign-up redirect without a usable token");
            return Err(fail(SignupFailure::Invalid));
        }
        let pool = self.db.pool();
        let used_hash = token_hash(token);
        let internal = |error: crate::db::Error| {
            tracing::error!(%reference, %error, "sign-up: database error");
            (SignupFailure::Internal, reference.clone())
        };
        if let Some(subscription_id) =
            signups::used_marketplace_token(pool, &used_hash).await.map_err(internal)?
        {
            // The same browser reloading the redirect goes on where it was; any other is refused.
            if let Some(previous) = previous
                && signups::signup_subscription(pool, &token_hash(previous))
                    .await
                    .map_err(internal)?
                    .as_deref()
                    == Some(subscription_id.as_str())
            {
                return Ok(SignupStart { signup_token: previous.to_string(), subscription_id });
            }
            tracing::warn!(%reference, subscription = %subscription_id, "sign-up token used a second time");
            return Err(fail(SignupFailure::AlreadyUsed));
        }
        let subscription_id = self.exchange(token, &reference).await.map_err(fail)?;
        let row = orders::get(pool, &subscription_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| fail(SignupFailure::Internal))?;
        let (signup_token, signup_hash) = new_token();
        let mut tx = crate::db::begin(pool).await.map_err(internal)?;
        if !signups::record_marketplace_token(&mut *tx, &used_hash, &subscription_id)
            .await
            .map_err(internal)?
        {
            // Another request exchanged the same token at the same moment: one of them wins.
            return Err(fail(SignupFailure::AlreadyUsed));
        }
        signups::insert_signup(
            &mut *tx,
            &signup_hash,
            &subscription_id,
            &row.project_id,
            now_ms() + SIGNUP_MS,
        )
        .await
        .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        tracing::info!(subscription = %subscription_id, "customer arrived from STACKIT");
        Ok(SignupStart { signup_token, subscription_id })
    }

    async fn signup_info(&self, signup_token: &str) -> Result<Option<SignupInfo>, AppError> {
        let pool = self.db.pool();
        let Some(signup) = signups::open_signup(pool, &token_hash(signup_token)).await? else {
            return Ok(None);
        };
        let row = orders::get(pool, &signup.subscription_id).await?;
        Ok(row.map(|row| SignupInfo {
            project_id: signup.project_id,
            product_name: row.product_name,
            plan: row.pricing_plan,
            vendor_name: row.vendor_name,
            suggested_email: row.contact_email.or(row.consumer_notification_email),
        }))
    }

    async fn claim_signup(
        &self,
        customer: &Customer,
        signup_token: &str,
    ) -> Result<Option<String>, AppError> {
        self.claim(customer, signup_token).await
    }
}
