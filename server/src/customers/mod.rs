//! Customers: the sign-up redirect from STACKIT, Orderdesk's own customer accounts (a separate
//! session realm from operators), and what each customer may see of their subscriptions.

mod accounts;
pub mod reset;
mod signup;
mod status;
mod teams;

use app::error::AppError;
use app::model::{Customer, CustomerPhase, CustomerSubscription, EmailAddress, LifecycleState};

use crate::accounts::{SessionPolicy, new_token};
use crate::db::customers as queries;
use crate::db::customers::CustomerOrderRow;
use crate::db::operators::{self as sessions};
use crate::db::{Database, now_ms};
use crate::marketplace::connection::Marketplace;

const REALM: &str = "customer";
/// How long a browser has from the redirect to registering or signing in.
const SIGNUP_MS: i64 = 60 * 60 * 1000;
/// How long the link in a verification mail works.
const VERIFY_LINK_MS: i64 = 7 * 86_400_000;
/// How long an invitation link works.
const INVITE_LINK_MS: i64 = 7 * 86_400_000;
/// Open invitations a project may have at once.
const MAX_OPEN_INVITES: usize = 50;

/// The database-backed customer ports (`CustomerSignup`, `CustomerAccounts`, `CustomerTeams`,
/// `CustomerOrders`), one file each.
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
    let email = EmailAddress::parse(input)?;
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
