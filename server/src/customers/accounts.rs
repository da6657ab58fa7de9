//! Customers' own accounts: registration that reveals nothing about who has an account, sign-in
//! with the same throttling as operators, address confirmation and password resets.

use app::api::ports::{CustomerAccounts, CustomerSignup};
use app::error::AppError;
use app::i18n::Locale;
use app::model::Customer;
use async_trait::async_trait;

use super::{DbCustomers, REALM, VERIFY_LINK_MS, customer_email, reset, to_customer};
use crate::accounts::limits;
use crate::accounts::{LiveSession, SignInAttempt, new_token, passwords, token_hash};
use crate::db::customers as queries;
use crate::db::operators::{self as sessions};
use crate::db::{jobs, now_ms};

#[async_trait]
impl CustomerAccounts for DbCustomers {
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
}
