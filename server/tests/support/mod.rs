//! Shared test harness: a fresh database per test on SQLite or PostgreSQL, and the real
//! application started on port 0 against it.
#![allow(dead_code)]

pub mod customers;
pub mod marketplace;
pub mod openapi;
pub mod orders;
pub mod smtp;

use std::path::PathBuf;

use clap::Parser;
use server::config::{Cli, Config, DatabaseUrl};
use server::db::{Database, orders::OrderRow};
use server::startup::Application;
use sqlx::Executor;

/// Which engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates `sqlite::name` and `postgres::name` tests from `async fn name(backend: Backend)`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::support::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::support::Backend::Postgres).await })*
        }
    };
}

/// A database that exists only for one test. SQLite lives in a temporary folder; PostgreSQL is a
/// new database in the cluster named by `TEST_DATABASE_URL` (scripts/test starts one).
pub struct TestDatabase {
    pub url: DatabaseUrl,
    pub folder: tempfile::TempDir,
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let url = match backend {
            Backend::Sqlite => DatabaseUrl::sqlite_in(folder.path()),
            Backend::Postgres => {
                let base = std::env::var("TEST_DATABASE_URL").expect(
                    "TEST_DATABASE_URL is not set: run the suite with scripts/test, which starts a \
                     throwaway PostgreSQL, or point TEST_DATABASE_URL at a server you may create databases on",
                );
                let name = format!("orderdesk_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(&DatabaseUrl::parse(&base).expect("TEST_DATABASE_URL"), 1)
                    .await
                    .expect("connecting to TEST_DATABASE_URL");
                admin
                    .pool()
                    .execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("CREATE DATABASE");
                admin.pool().close().await;
                DatabaseUrl::parse(&with_database_name(&base, &name)).expect("test database URL")
            }
        };
        TestDatabase { url, folder }
    }

    /// A new database and a migrated pool on it; keep the first alive as long as the pool.
    pub async fn fresh(backend: Backend) -> (Self, Database) {
        let database = Self::create(backend).await;
        let db = database.connect().await;
        (database, db)
    }

    /// A migrated pool on this database.
    pub async fn connect(&self) -> Database {
        let db = Database::connect(&self.url, 5).await.expect("connecting to the test database");
        db.migrate().await.expect("migrating the test database");
        db
    }
}

/// Replaces the database name in a PostgreSQL URL.
pub fn with_database_name(url: &str, name: &str) -> String {
    let (without_query, query) = url.split_once('?').map_or((url, None), |(u, q)| (u, Some(q)));
    let (_scheme, rest) = without_query.split_once("://").expect("a URL with a scheme");
    let base = match rest.find('/') {
        Some(slash) => &without_query[..without_query.len() - rest.len() + slash],
        None => without_query,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// The application running on port 0 against a fresh database.
pub struct TestApp {
    pub address: String,
    pub db: Database,
    pub client: reqwest::Client,
    pub database: TestDatabase,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// The application with `extra` command-line settings.
    pub async fn spawn_with(backend: Backend, extra: &[&str]) -> Self {
        let database = TestDatabase::create(backend).await;
        let config = test_config(&database, extra);
        Self::start(database, config).await
    }

    /// The application connected to a fresh simulator (no seeded orders; the test orders them).
    pub async fn spawn_with_stackit(
        backend: Backend,
    ) -> (Self, server::marketplace::simulator::SimulatorHandle) {
        Self::spawn_with_stackit_and(backend, &[]).await
    }

    /// The application connected to a fresh simulator, with `extra` command-line settings.
    pub async fn spawn_with_stackit_and(
        backend: Backend,
        extra: &[&str],
    ) -> (Self, server::marketplace::simulator::SimulatorHandle) {
        use server::marketplace::simulator::{Simulator, SimulatorSettings};
        let database = TestDatabase::create(backend).await;
        let mut config = test_config(&database, extra);
        let settings = SimulatorSettings { record_exchanges: false, ..SimulatorSettings::for_tests() };
        let sim = Simulator::build(settings).await.expect("a simulator").spawn();
        connect_to_simulator(&mut config, &sim, database.folder.path());
        config.sync_interval_secs = 86_400;
        let app = Self::start(database, config).await;
        // The application syncs once at start; a test's own orders and syncs come after it, so
        // that it never lists the simulator half-way through a test's set-up.
        orders::startup_sync_done(&app).await;
        (app, sim)
    }

    /// The application with a configuration the test has adjusted.
    pub async fn start(database: TestDatabase, config: Config) -> Self {
        server::telemetry::init_for_tests();
        let app = Application::build(config).await.expect("building the application");
        let address = format!("http://127.0.0.1:{}", app.port());
        let db = app.database().clone();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        TestApp { address, db, client, database }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Creates an operator with `role` and returns (e-mail, password).
    pub async fn operator(&self, role: app::model::Role) -> (String, String) {
        let email = format!("{}-{}@vendor.example", role.as_str(), uuid::Uuid::new_v4().simple());
        let password = "a long enough password".to_string();
        server::accounts::create_operator(&self.db, &email, "Test Operator", role, &password)
            .await
            .expect("an operator");
        (email, password)
    }

    /// A client with its own cookie jar, signed in as a new operator with `role`.
    pub async fn signed_in(&self, role: app::model::Role) -> reqwest::Client {
        let (email, password) = self.operator(role).await;
        let client = cookie_client();
        let response = self.sign_in(&client, &email, &password).await;
        assert_eq!(response.status(), 200, "signing in as {role:?}");
        client
    }

    /// Posts the sign-in form as a script would (JSON answer, no redirect).
    pub async fn sign_in(&self, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        client
            .post(self.url("/api/login"))
            .header("accept", "application/json")
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("POST /api/login")
    }

    /// Registers a customer as the sign-up page does, then confirms the address with the mailed
    /// link, which signs `client` in; the confirmation's answer.
    pub async fn register_customer(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let form = [("email", email), ("password", password), ("repeat", password)];
        let registered = self.call(client, "/api/customer_register", &form).await;
        assert_eq!(registered.status(), 200, "registering {email}");
        let token = self.mailed_token(email, "/verify?token=").await;
        self.call(client, "/api/verify_email", &[("token", &token), ("password", password)]).await
    }

    /// Waits (ten seconds at most) for a captured mail to `to` with a link containing `needle`
    /// (`/verify?token=`) and returns the link's token.
    pub async fn mailed_token(&self, to: &str, needle: &str) -> String {
        for _ in 0..100 {
            let bodies: Vec<String> =
                sqlx::query_scalar("SELECT body FROM captured_mails WHERE recipient = $1")
                    .bind(to.to_lowercase())
                    .fetch_all(self.db.pool())
                    .await
                    .expect("reading captured mails");
            let link = bodies
                .iter()
                .rev()
                .find_map(|b| b.split_whitespace().find(|w| w.contains(needle)).map(str::to_string));
            if let Some(link) = link {
                return link.split("token=").nth(1).expect("a token").to_string();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no mail to {to} with {needle:?}");
    }

    /// Calls a server function with form-encoded arguments, as the browser's forms do.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("a server function call")
    }
}

/// An HTTP client with a cookie jar that does not follow redirects.
pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// The configuration a test application runs with, plus `extra` flags.
/// Points `config` at the simulator `sim`, with its service-account key written into `folder`.
pub fn connect_to_simulator(
    config: &mut Config,
    sim: &server::marketplace::simulator::SimulatorHandle,
    folder: &std::path::Path,
) {
    let key_path = folder.join("vendor-key.json");
    std::fs::write(&key_path, sim.service_account_key_json()).expect("the key file");
    config.stackit.stackit_api_url = sim.base_url().to_string();
    config.stackit.stackit_vendor_project_id = Some(sim.vendor_project_id().parse().expect("a UUID"));
    config.stackit.stackit_service_account_key_path = Some(key_path);
    config.stackit.stackit_redirect_keys_url = sim.keys_url();
    config.stackit.stackit_redirect_issuer = sim.keys_url();
}

pub fn test_config(database: &TestDatabase, extra: &[&str]) -> Config {
    let data_dir = database.folder.path().join("data");
    let site_root: PathBuf = database.folder.path().join("site");
    let mut args = vec![
        "orderdesk".to_string(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--data-dir".into(),
        data_dir.display().to_string(),
        "--site-root".into(),
        site_root.display().to_string(),
        "--database-url".into(),
        database.url.expose().to_string(),
        // Tests follow mailed links from the captured mails, as demo visitors do.
        "--show-captured-links".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Cli::try_parse_from(args).expect("test configuration").config
}

/// Sets an order's ordered-at time and the deadline that follows from it (30-day window).
pub fn ordered_at(mut row: OrderRow, ms: i64) -> OrderRow {
    row.ordered_at_ms = ms;
    row.deadline_ms = ms + row.approval_timeout_secs.unwrap_or(2_592_000) * 1000;
    row
}

/// A realistic order in `state`, with every field STACKIT sends.
pub fn order(subscription_id: &str, state: &str) -> OrderRow {
    let now = server::db::now_ms();
    OrderRow {
        subscription_id: subscription_id.into(),
        organization_id: "0b6a5e0e-3a07-4c36-9f8b-64b0b7e6a2d1".into(),
        project_id: "4f3c2b1a-9d8e-4f7a-8b6c-5d4e3f2a1b0c".into(),
        lifecycle_state: state.into(),
        lifecycle_state_raw: state.into(),
        ordered_at: "2026-11-20T09:30:00Z".into(),
        ordered_at_ms: 1_795_167_000_000,
        approval_timeout: Some("2592000s".into()),
        approval_timeout_secs: Some(2_592_000),
        auto_renewal: Some(1),
        terminates_at: None,
        terminates_at_ms: None,
        valid_from: None,
        valid_from_ms: None,
        valid_until: None,
        valid_until_ms: None,
        product_id: "datavault-1a2b3c4d".into(),
        product_name: "DataVault Managed".into(),
        plan_id: "business-9f8e7d6c".into(),
        vendor_plan_id: Some("dv-business".into()),
        vendor_product_id: Some("datavault".into()),
        price_type: "CONTRACT".into(),
        pricing_plan: "Business, billed monthly".into(),
        delivery_method: "SAAS".into(),
        product_lifecycle_state: "PRODUCT_LIVE".into(),
        vendor_name: "Example Vendor GmbH".into(),
        vendor_website_url: "https://vendor.example".into(),
        rate: "490,00€".into(),
        validity_period: "P1M".into(),
        validity_period_secs: Some(2_592_000),
        notice_period: "P1M".into(),
        notice_period_secs: Some(2_592_000),
        assets_json: None,
        consumer_notification_email: Some("it@customer.example".into()),
        contact_email: Some("it@customer.example".into()),
        contact_email_source: Some("stackit".into()),
        instance_target: None,
        first_seen_at_ms: now,
        updated_at_ms: now,
        deadline_ms: 1_795_167_000_000 + 2_592_000_000,
        queue_rank: i64::from(state != "SUBSCRIPTION_PENDING"),
    }
}

/// A Vendor API client for the simulator, as the application builds it.
pub fn vendor_client(
    sim: &server::marketplace::simulator::SimulatorHandle,
) -> server::marketplace::client::VendorClient {
    use server::marketplace::auth::{Authenticator, Credentials, ServiceAccountKey};
    use server::marketplace::client::{ClientSettings, RetryPolicy, VendorClient};
    let key = ServiceAccountKey::from_json(&sim.service_account_key_json()).expect("the key file");
    let http = reqwest::Client::new();
    let auth = std::sync::Arc::new(Authenticator::new(
        Credentials::ServiceAccount { key, token_endpoint: sim.token_url() },
        http.clone(),
    ));
    let settings = ClientSettings {
        base_url: sim.base_url().to_string(),
        vendor_project_id: sim.vendor_project_id(),
        timeout: std::time::Duration::from_secs(5),
        retry: RetryPolicy::default(),
    };
    VendorClient::new(settings, auth, http)
}

/// Orders `product` (plan `sku`) in the simulator for a new customer project; returns its ID.
pub fn place_order(
    sim: &server::marketplace::simulator::SimulatorHandle,
    product: &str,
    sku: &str,
    email: Option<&str>,
) -> String {
    let mut state = sim.state();
    let now = state.now_ms();
    let project = uuid::Uuid::new_v4().to_string();
    state.create(&project, product, sku, email, now).expect("an order").subscription_id.clone()
}
