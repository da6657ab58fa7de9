//! The server's side of the ports that `app`'s server functions call (see `app::api::ports`).

mod orders;
mod settings;

use std::sync::Arc;

use app::api::ports::Ports;
use app::model::StackitInfo;

use crate::accounts::DbAccounts;
use crate::config::Config;
use crate::customers::DbCustomers;
use crate::db::Database;
use crate::docs::Docs;
use crate::jobs::runner::Worker;
use crate::marketplace::connection::Marketplace;

pub use orders::DbOrderStore;

/// Builds the ports value provided to every server function and SSR render, from the
/// configuration, the database and the connection to STACKIT (`None` without one).
pub fn ports(
    db: &Database,
    marketplace: Option<Marketplace>,
    config: &Config,
    stackit: StackitInfo,
    origin: &str,
    worker: Worker,
) -> Ports {
    let policy = config.session_policy();
    let client = marketplace.as_ref().map(|m| m.client.clone());
    let customers = Arc::new(DbCustomers {
        db: db.clone(),
        marketplace,
        policy,
        origin: origin.to_string(),
        vendor_name: config.vendor_name.clone(),
    });
    Ports {
        orders: Arc::new(DbOrderStore {
            db: db.clone(),
            client,
            products: Default::default(),
            worker,
            overview: Default::default(),
            counts: Default::default(),
        }),
        settings: Arc::new(settings::DbSettings {
            db: db.clone(),
            stackit,
            capturing_mail: config.smtp_url.is_none(),
            webhook_url: config.webhook_url.clone(),
            check: crate::check::SetupCheck::new(config, db),
            last_check: Default::default(),
        }),
        accounts: Arc::new(DbAccounts { db: db.clone(), policy }),
        signup: customers.clone(),
        customers: customers.clone(),
        teams: customers.clone(),
        customer_orders: customers,
        docs: Arc::new(Docs { folder: config.docs_dir.clone() }),
        secure_cookies: config.secure_cookies(),
        session_max_age_secs: u64::try_from(policy.absolute_ms / 1000).unwrap_or(0),
    }
}
