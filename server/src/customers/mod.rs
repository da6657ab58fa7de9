//! Customers: the sign-up redirect from STACKIT, Orderdesk's own customer accounts (a separate
//! session realm from operators), and what each customer may see of their subscriptions.

pub mod reset;

use app::api::customers::SignupFailure;
use app::api::ports::{CustomerAccounts, SignupStart};
use app::error::AppError;
use app::i18n::Locale;
use app::model::{
    Customer, CustomerPhase, CustomerStatus, CustomerStep, CustomerSubscription, EMAIL_HINT, EmailAddress,
    LifecycleState, SignupInfo, Team, TeamMember,
};
use async_trait::async_trait;

use crate::accounts::limits;
use crate::accounts::{LiveSession, SessionPolicy, SignInAttempt, new_token, passwords, token_hash};
use crate::db::customers as queries;
use crate::db::customers::CustomerOrderRow;
use crate::db::operators::{self as sessions};
use crate::db::{Database, jobs, now_ms, orders};
use crate::mail::notify::Notice;
use crate::marketplace::connection::Marketplace;
use crate::marketplace::redirect_token::RedirectTokenError;
use crate::orders::reconcile::{SyncReport, apply_page};

const REALM: &str = "customer";
/// How long a browser has from the redirect to registering or signing in.
const SIGNUP_MS: i64 = 60 * 60 * 1000;
/// How long the link in a verification mail works.
const VERIFY_LINK_MS: i64 = 7 * 86_400_000;
/// How long an invitation link works.
const INVITE_LINK_MS: i64 = 7 * 86_400_000;
/// Open invitations a project may have at once.
const MAX_OPEN_INVITES: usize = 50;

/// The database-backed `CustomerAccounts` port.
pub struct DbCustomers {
    pub db: Database,
    pub marketplace: Option<Marketplace>,
    pub policy: SessionPolicy,
    /// Where links in mails point (`https://orderdesk.vendor.example`).
    pub origin: String,
    /// The vendor's name for mails, when configured; else the one STACKIT gives on the product.
    pub vendor_name: Option<String>,
}

/// A short reference for a failed sign-up, shown to the customer and logged with the cause.
fn reference() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..10].to_string()
}

/// A customer's address as accounts are keyed: plausible, in lower case.
fn customer_email(input: &str) -> Result<String, AppError> {
    let email = EmailAddress::parse(input).map_err(|_| AppError::invalid("email", EMAIL_HINT))?;
    Ok(email.to_lowercase().into_string())
}

fn to_customer(row: &queries::CustomerRow) -> Customer {
    Customer { id: row.id.clone(), email: row.email.clone(), verified: row.email_verified_at_ms.is_some() }
}

fn to_subscription(row: &CustomerOrderRow) -> CustomerSubscription {
    CustomerSubscription {
        subscription_id: row.subscription_id.clone(),
        project_id: row.project_id.clone(),
        product_name: row.product_name.clone(),
        plan: row.pricing_plan.clone(),
        phase: CustomerPhase::of(LifecycleState::from_wire(&row.lifecycle_state)),
        ordered_at_ms: row.ordered_at_ms,
        expected_by_ms: row.deadline_ms,
        steps_done: u32::try_from(row.steps_done).unwrap_or(0),
        steps_total: u32::try_from(row.steps_total).unwrap_or(0),
    }
}

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
    async fn claim(&self, customer: &Customer, signup_token: &str) -> Result<Option<String>, AppError> {
        let pool = self.db.pool();
        let hash = token_hash(signup_token);
        let Some(signup) = queries::open_signup(pool, &hash).await? else {
            return Ok(None);
        };
        let mut claimed = false;
        let mut tx = crate::db::begin(pool).await?;
        if queries::claim_signup(&mut *tx, &hash).await? {
            claimed = true;
            queries::link_project(&mut *tx, &customer.id, &signup.project_id, "owner").await?;
            queries::offer_contact_email(&mut *tx, &signup.subscription_id, &customer.email).await?;
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

    async fn open_session(&self, customer: &Customer) -> Result<String, AppError> {
        let (token, hash) = new_token();
        sessions::open_session(
            self.db.pool(),
            &hash,
            REALM,
            &customer.id,
            now_ms() + self.policy.absolute_ms,
        )
        .await?;
        Ok(token)
    }
}

#[async_trait]
impl CustomerAccounts for DbCustomers {
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
            queries::used_marketplace_token(pool, &used_hash).await.map_err(internal)?
        {
            // The same browser reloading the redirect goes on where it was; any other is refused.
            if let Some(previous) = previous
                && queries::signup_subscription(pool, &token_hash(previous))
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
        if !queries::record_marketplace_token(&mut *tx, &used_hash, &subscription_id)
            .await
            .map_err(internal)?
        {
            // Another request exchanged the same token at the same moment: one of them wins.
            return Err(fail(SignupFailure::AlreadyUsed));
        }
        queries::insert_signup(
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
        let Some(signup) = queries::open_signup(pool, &token_hash(signup_token)).await? else {
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

    async fn register(
        &self,
        email: &str,
        password: &str,
        signup_token: Option<&str>,
        locale: Locale,
        address: &str,
    ) -> Result<(), AppError> {
        let email = customer_email(email)?;
        if let Some(reason) = passwords::weakness(password) {
            return Err(AppError::invalid("password", reason));
        }
        // Limits before the 19 MiB hash: a burst of registrations is turned away cheaply.
        let pool = self.db.pool();
        limits::take(pool, &format!("register:address:{address}"), limits::REGISTRATIONS_PER_ADDRESS).await?;
        limits::take_mail(pool, &email, address).await?;
        // Hashed whether or not the address is taken: both answers take as long.
        let hash = passwords::new_hash("password", password).await?;
        let vendor = match (&self.vendor_name, signup_token) {
            (Some(name), _) => Some(name.clone()),
            (None, Some(signup)) => self.signup_info(signup).await?.map(|info| info.vendor_name),
            (None, None) => None,
        }
        .unwrap_or_else(|| "Orderdesk".to_string());
        let id = uuid::Uuid::new_v4().to_string();
        let (link, link_hash) = new_token();
        let mut tx = crate::db::begin(pool).await?;
        match queries::insert(&mut *tx, &id, &email, &hash, locale.tag()).await {
            Ok(()) => {}
            Err(error) if error.is_unique_violation() => {
                drop(tx);
                // The answer is the same as for a new account; the owner learns of it by mail.
                let mail = crate::mail::Mail::account_exists(locale, &email, &vendor, &self.origin);
                jobs::enqueue(pool, &mail.job()).await?;
                tracing::info!("registration for an address that has an account: its owner was mailed");
                return Ok(());
            }
            Err(error) => return Err(error.into()),
        }
        queries::insert_token(&mut *tx, &link_hash, &id, "verify", now_ms() + VERIFY_LINK_MS).await?;
        let mail = crate::mail::Mail::verify_address(
            locale,
            &email,
            &vendor,
            &format!("{}/verify?token={link}", self.origin),
        );
        jobs::enqueue(&mut *tx, &mail.job()).await?;
        tx.commit().await?;
        let customer = Customer { id, email, verified: false };
        if let Some(signup) = signup_token {
            self.claim(&customer, signup).await?;
        }
        tracing::info!(customer = %customer.id, "customer registered");
        Ok(())
    }

    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
        signup_token: Option<&str>,
    ) -> Result<(Customer, String), AppError> {
        let pool = self.db.pool();
        let account = format!("customer:{}", email.trim().to_lowercase());
        let attempt = SignInAttempt::begin(pool, account, format!("customer-address:{address}")).await?;
        let checked = async {
            let row = queries::by_email(pool, email).await?;
            let matches = passwords::verify(password, row.as_ref().map(|r| r.password_hash.as_str())).await?;
            Ok::<_, AppError>(row.filter(|_| matches).map(|r| to_customer(&r)))
        }
        .await;
        let customer = attempt.settle(pool, checked).await?;
        // Only a confirmed address signs in: whoever registered someone else's address (with a
        // password of their own) gets no session of it, nor its invitations.
        if !customer.verified {
            return Err(AppError::conflict(
                "Confirm your e-mail address first with the link we mailed you; resetting the password confirms it too.",
            ));
        }
        if let Some(signup) = signup_token {
            self.claim(&customer, signup).await?;
        }
        let session = self.open_session(&customer).await?;
        Ok((customer, session))
    }

    async fn claim_signup(
        &self,
        customer: &Customer,
        signup_token: &str,
    ) -> Result<Option<String>, AppError> {
        self.claim(customer, signup_token).await
    }

    async fn customer_for_session(&self, token: &str) -> Result<Option<Customer>, AppError> {
        let pool = self.db.pool();
        let Some(session) = LiveSession::find(pool, token, REALM, self.policy).await? else {
            return Ok(None);
        };
        let Some(row) = queries::by_id(pool, &session.subject_id).await? else {
            session.end(pool).await?;
            return Ok(None);
        };
        session.keep(pool).await?;
        Ok(Some(to_customer(&row)))
    }

    async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        sessions::close_session(self.db.pool(), &token_hash(token)).await.map_err(AppError::from)
    }

    async fn verify_email(&self, token: &str, password: &str) -> Result<(Customer, String), AppError> {
        let pool = self.db.pool();
        let unusable = || AppError::invalid("token", "This link is used, expired or unknown.");
        let hash = token_hash(token);
        let owner = queries::token_owner(pool, &hash, "verify").await?.ok_or_else(unusable)?;
        let row = queries::by_id(pool, &owner).await?.ok_or_else(unusable)?;
        // Whoever registered knows the password; a mailbox owner who did not (someone registered
        // their address) cannot confirm that account, and its registrant cannot sign in.
        if !passwords::verify(password, Some(&row.password_hash)).await? {
            return Err(AppError::invalid(
                "password",
                "This is not the password the account was registered with.",
            ));
        }
        let id = queries::use_token(pool, &hash, "verify").await?.ok_or_else(unusable)?;
        queries::set_verified(pool, &id).await?;
        let customer = Customer { verified: true, ..to_customer(&row) };
        let session = self.open_session(&customer).await?;
        tracing::info!(customer = %customer.id, "customer address confirmed");
        Ok((customer, session))
    }

    async fn request_password_reset(
        &self,
        email: &str,
        locale: Locale,
        address: &str,
    ) -> Result<(), AppError> {
        let pool = self.db.pool();
        limits::take(pool, &format!("reset:address:{address}"), limits::RESETS_PER_ADDRESS).await?;
        let email = customer_email(email)?;
        let email = email.as_str();
        // The same work whether or not the address has an account: the job finds out.
        jobs::enqueue(pool, &reset::job(email, locale)).await?;
        Ok(())
    }

    async fn reset_password(&self, token: &str, password: &str) -> Result<(), AppError> {
        let pool = self.db.pool();
        let unusable = || AppError::invalid("token", "This link is used, expired or unknown.");
        let token_hash = token_hash(token);
        // The link first: a made-up token must not cost a 19 MiB hash.
        if queries::token_owner(pool, &token_hash, "reset").await?.is_none() {
            return Err(unusable());
        }
        let hash = passwords::new_hash("password", password).await?;
        let customer = queries::use_token(pool, &token_hash, "reset").await?.ok_or_else(unusable)?;
        queries::set_password(pool, &customer, &hash).await?;
        // One reset ends the others: a link mailed earlier (maybe read by someone else) is dead.
        queries::end_tokens(pool, &customer, "reset").await?;
        // Whoever knew the old password is signed out everywhere; opening the link proves the address.
        queries::close_sessions(pool, &customer).await?;
        queries::set_verified(pool, &customer).await?;
        tracing::info!(%customer, "customer password reset");
        Ok(())
    }

    async fn team(&self, customer: &Customer, subscription_id: &str) -> Result<Team, AppError> {
        let pool = self.db.pool();
        let (project_id, role) =
            queries::membership(pool, &customer.id, subscription_id).await?.ok_or(AppError::NotFound)?;
        let members = queries::members(pool, &project_id).await?;
        let invited = queries::open_invites(pool, &project_id).await?;
        Ok(Team {
            members: members
                .into_iter()
                .map(|(customer_id, email, role)| TeamMember { customer_id, email, owner: role == "owner" })
                .collect(),
            invited,
            can_remove: role == "owner",
            project_id,
        })
    }

    async fn invite(
        &self,
        customer: &Customer,
        subscription_id: &str,
        email: &str,
        locale: Locale,
        address: &str,
    ) -> Result<(), AppError> {
        let email = customer_email(email)?;
        let pool = self.db.pool();
        let (project_id, _) =
            queries::membership(pool, &customer.id, subscription_id).await?.ok_or(AppError::NotFound)?;
        limits::take(pool, &format!("invite:address:{address}"), limits::INVITES_PER_ADDRESS).await?;
        limits::take_mail(pool, &email, address).await?;
        if queries::open_invites(pool, &project_id).await?.len() >= MAX_OPEN_INVITES {
            return Err(AppError::conflict(
                "This project has many open invitations; wait until some are accepted.",
            ));
        }
        let (link, link_hash) = new_token();
        let mail = crate::mail::Mail::invite(
            locale,
            &email,
            &customer.email,
            &format!("{}/my/invite?token={link}", self.origin),
        );
        let mut tx = crate::db::begin(pool).await?;
        queries::insert_invite(
            &mut *tx,
            &link_hash,
            &project_id,
            &email,
            &customer.id,
            now_ms() + INVITE_LINK_MS,
        )
        .await?;
        jobs::enqueue(&mut *tx, &mail.job()).await?;
        tx.commit().await?;
        tracing::info!(customer = %customer.id, project = %project_id, "team member invited");
        Ok(())
    }

    async fn remove_member(
        &self,
        customer: &Customer,
        subscription_id: &str,
        member_id: &str,
    ) -> Result<(), AppError> {
        let pool = self.db.pool();
        let (project_id, role) =
            queries::membership(pool, &customer.id, subscription_id).await?.ok_or(AppError::NotFound)?;
        if role != "owner" {
            return Err(AppError::Forbidden);
        }
        if !queries::remove_member(pool, &project_id, member_id).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(customer = %customer.id, project = %project_id, member = %member_id, "team member removed");
        Ok(())
    }

    async fn invite_info(&self, token: &str) -> Result<Option<app::model::InviteInfo>, AppError> {
        let found = queries::invite_details(self.db.pool(), &token_hash(token)).await?;
        Ok(found.map(|(project_id, invited_email)| app::model::InviteInfo { project_id, invited_email }))
    }

    async fn accept_invite(&self, customer: &Customer, token: &str) -> Result<(), AppError> {
        let pool = self.db.pool();
        let hash = token_hash(token);
        let unusable = || AppError::invalid("token", "This invitation is used, expired or unknown.");
        let (_, invited) = queries::invite_details(pool, &hash).await?.ok_or_else(unusable)?;
        // Bound to the invited address, confirmed: whoever else holds the link cannot use it,
        // and it stays open for the person it was sent to.
        if !invited.eq_ignore_ascii_case(&customer.email) || !customer.verified {
            tracing::warn!(customer = %customer.id, "an invitation for another address was refused");
            return Err(AppError::invalid(
                "token",
                "This invitation was sent to another address: sign in with that address to accept it.",
            ));
        }
        let project_id = queries::use_invite(pool, &hash).await?.ok_or_else(unusable)?;
        queries::link_project(pool, &customer.id, &project_id, "member").await?;
        tracing::info!(customer = %customer.id, project = %project_id, "invitation accepted");
        Ok(())
    }

    async fn subscriptions(&self, customer: &Customer) -> Result<Vec<CustomerSubscription>, AppError> {
        let rows = queries::orders_of(self.db.pool(), &customer.id).await?;
        Ok(rows.iter().map(to_subscription).collect())
    }

    async fn status(&self, customer: &Customer, subscription_id: &str) -> Result<CustomerStatus, AppError> {
        let pool = self.db.pool();
        let row = queries::order_of(pool, &customer.id, subscription_id).await?.ok_or(AppError::NotFound)?;
        let steps = queries::visible_steps(pool, subscription_id).await?;
        let summary = to_subscription(&row);
        Ok(CustomerStatus {
            instance_url: row.instance_target.filter(|_| summary.phase == CustomerPhase::Active),
            summary,
            steps: steps
                .into_iter()
                .map(|s| CustomerStep {
                    title: s.title,
                    description: s.description,
                    done_at_ms: s.done_at_ms,
                })
                .collect(),
            vendor_name: row.vendor_name,
            vendor_website_url: row.vendor_website_url,
        })
    }
}
