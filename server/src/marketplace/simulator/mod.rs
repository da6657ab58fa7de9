//! The STACKIT Marketplace simulator: a real HTTP server that plays STACKIT for development,
//! demos and tests. It serves the Vendor API (V1–V6), the consumer API, the token endpoint of the
//! service-account key flow and the redirect-token key map, with STACKIT's semantics as far as
//! they are known (`../shared/stackit/README.md`), plus controls that only a simulator has: a
//! clock to advance, suspensions, products, seeding and fault injection, under `/simulator/`.
//!
//! Assumption, not STACKIT fact: vendor responses carry `consumerNotificationEmail`, the address
//! the customer gave when ordering. STACKIT promises SaaS async. vendors that e-mail but no
//! documented schema carries it (README [decision]).

mod consumer;
mod control;
mod exchange;
mod faults;
pub mod keys;
pub mod seed;
pub mod state;
mod token;
mod vendor;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::Context;
use axum::Router;
use axum::extract::{FromRequestParts, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use tokio::net::TcpListener;

pub use exchange::Exchange;
pub use faults::{Fault, FaultKind};
use keys::{RsaPair, TokenMint};
use state::{SimError, SimState};

/// Path of the redirect-token key map, as on STACKIT.
pub const KEYS_PATH: &str = "/v1/resolve-customer/keys.json";

/// How to start a simulator.
#[derive(Debug, Clone)]
pub struct SimulatorSettings {
    pub listen: SocketAddr,
    /// The vendor's own STACKIT project; other projects get 403.
    pub vendor_project_id: String,
    /// Subscriptions to seed at start (0: none, but the demo products exist).
    pub seed_subscriptions: usize,
    /// Seed of the generator behind seeded data.
    pub seed: u64,
    /// The vendor's sign-up URL that consumer redirects point at.
    pub signup_url: String,
    /// Keep every request and response for conformance checks (tests).
    pub record_exchanges: bool,
    /// Lifetime of the access tokens the token endpoint issues, in seconds.
    pub access_token_secs: i64,
}

impl SimulatorSettings {
    /// Defaults for tests: port 0, a fixed vendor project, no seeded subscriptions, recording on.
    pub fn for_tests() -> Self {
        SimulatorSettings {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            vendor_project_id: "5c2b6f9e-8d41-4a7b-9e3c-2f1a0b9c8d7e".into(),
            seed_subscriptions: 0,
            seed: 1,
            signup_url: "http://127.0.0.1:3000/signup".into(),
            record_exchanges: true,
            access_token_secs: 3_600,
        }
    }
}

/// The vendor's service account as the simulator knows it.
pub struct ServiceAccount {
    pub key_id: String,
    pub kid: String,
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub keys: RsaPair,
}

/// A redirect-token signing key.
pub struct RedirectKey {
    pub kid: String,
    pub keys: RsaPair,
}

/// State shared by all handlers.
pub struct Shared {
    pub base_url: String,
    state: Mutex<SimState>,
    redirect_keys: Mutex<Vec<RedirectKey>>,
    pub mint: TokenMint,
    pub service_account: ServiceAccount,
    faults: Mutex<Vec<Fault>>,
    exchanges: Mutex<Option<Vec<Exchange>>>,
    signup_url: Mutex<String>,
    access_token_secs: i64,
    /// Grants given by the token endpoint: (assertions, refresh tokens).
    grants: Mutex<(u32, u32)>,
}

impl Shared {
    /// The simulated Marketplace, locked. Handlers hold it only for synchronous work.
    pub fn state(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn redirect_keys(&self) -> MutexGuard<'_, Vec<RedirectKey>> {
        self.redirect_keys.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn faults(&self) -> MutexGuard<'_, Vec<Fault>> {
        self.faults.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn exchanges(&self) -> MutexGuard<'_, Option<Vec<Exchange>>> {
        self.exchanges.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The issuer of redirect tokens: the key map's URL, as on STACKIT.
    pub fn keys_url(&self) -> String {
        format!("{}{KEYS_PATH}", self.base_url)
    }

    fn signup_url(&self) -> String {
        self.signup_url.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

/// A built simulator: listener bound, keys made, demo data in place.
pub struct Simulator {
    listener: TcpListener,
    shared: Arc<Shared>,
}

/// A handle on a running simulator, for tests and the demo.
#[derive(Clone)]
pub struct SimulatorHandle {
    pub shared: Arc<Shared>,
}

impl Simulator {
    pub async fn build(settings: SimulatorSettings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("binding the simulator to {}", settings.listen))?;
        let address = listener.local_addr()?;
        let base_url = format!("http://{address}");
        let (sa_keys, redirect) = tokio::task::spawn_blocking(|| {
            Ok::<_, anyhow::Error>((RsaPair::generate()?, RsaPair::generate()?))
        })
        .await
        .context("generating keys")??;
        let service_account = ServiceAccount {
            key_id: uuid::Uuid::new_v4().to_string(),
            kid: uuid::Uuid::new_v4().to_string(),
            iss: "orderdesk-vendor@sa.stackit.cloud".into(),
            sub: uuid::Uuid::new_v4().to_string(),
            aud: "https://stackit-service-account-prod.apps.01.cf.eu01.stackit.cloud".into(),
            keys: sa_keys,
        };
        let mut state = SimState::new(settings.vendor_project_id.clone());
        for product in seed::demo_products() {
            let _ = state.upsert_product(product);
        }
        seed::seed_subscriptions(&mut state, settings.seed_subscriptions, settings.seed);
        let shared = Arc::new(Shared {
            base_url,
            state: Mutex::new(state),
            redirect_keys: Mutex::new(vec![RedirectKey { kid: keys::random_hex(8), keys: redirect }]),
            mint: TokenMint::new(),
            service_account,
            faults: Mutex::new(Vec::new()),
            exchanges: Mutex::new(settings.record_exchanges.then(Vec::new)),
            signup_url: Mutex::new(settings.signup_url),
            access_token_secs: settings.access_token_secs,
            grants: Mutex::new((0, 0)),
        });
        Ok(Simulator { listener, shared })
    }

    pub fn handle(&self) -> SimulatorHandle {
        SimulatorHandle { shared: self.shared.clone() }
    }

    /// Serves until the process stops.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(url = %self.shared.base_url, "STACKIT Marketplace simulator listening");
        axum::serve(self.listener, router(self.shared)).await.context("serving the simulator")
    }

    /// Serves in the background and returns a handle.
    pub fn spawn(self) -> SimulatorHandle {
        let handle = self.handle();
        tokio::spawn(async move {
            if let Err(error) = self.run_until_stopped().await {
                tracing::error!("{error:#}");
            }
        });
        handle
    }
}

impl SimulatorHandle {
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    pub fn keys_url(&self) -> String {
        self.shared.keys_url()
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.shared.base_url)
    }

    pub fn vendor_project_id(&self) -> String {
        self.shared.state().vendor_project_id.clone()
    }

    /// The vendor's service-account key file, in STACKIT's format, pointing at this simulator.
    pub fn service_account_key_json(&self) -> String {
        token::service_account_key_json(&self.shared)
    }

    /// Every exchange recorded so far (recording must be on), and clears the record.
    pub fn take_exchanges(&self) -> Vec<Exchange> {
        self.shared.exchanges().as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Adds a fault to inject.
    pub fn inject(&self, fault: Fault) {
        self.shared.faults().push(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.faults().clear();
    }

    /// A fresh redirect token for a subscription, signed with the current key.
    pub fn redirect_token(&self, subscription_id: &str) -> String {
        token::mint_redirect_token(&self.shared, subscription_id, 900)
    }

    /// A redirect token that expires `lifetime_secs` from now (negative: expired already).
    pub fn redirect_token_lasting(&self, subscription_id: &str, lifetime_secs: i64) -> String {
        token::mint_redirect_token(&self.shared, subscription_id, lifetime_secs)
    }

    /// Makes a new redirect-signing key current; `retire_old` stops publishing the old ones.
    pub fn rotate_redirect_key(&self, retire_old: bool) -> anyhow::Result<String> {
        token::rotate_redirect_key(&self.shared, retire_old)
    }

    /// A bearer token for a customer in `project_id` (consumer endpoints).
    pub fn consumer_token(&self, project_id: &str) -> String {
        self.shared.mint.issue(project_id, "consumer", "access", 3_600)
    }

    /// The simulated Marketplace, locked.
    pub fn state(&self) -> MutexGuard<'_, SimState> {
        self.shared.state()
    }

    /// Tokens the token endpoint granted so far: (for assertions, for refresh tokens).
    pub fn token_grants(&self) -> (u32, u32) {
        *self.shared.grants.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Invalidates every access and refresh token issued so far.
    pub fn revoke_tokens(&self) {
        self.shared.mint.revoke_all();
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(vendor::routes())
        .merge(consumer::routes())
        .merge(token::routes())
        .merge(control::routes())
        .layer(axum::middleware::from_fn(error_bodies))
        .layer(axum::middleware::from_fn_with_state(shared.clone(), faults::inject))
        .layer(axum::middleware::from_fn_with_state(shared.clone(), exchange::record))
        .with_state(shared)
}

/// Marks a response whose `ErrorResponse` body is still to be written (it needs the request path).
#[derive(Clone)]
struct PendingError(String);

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(PendingError(self.message));
        response
    }
}

/// STACKIT's error body: `{error, message, path, status, timeStamp}`.
pub fn error_body(status: StatusCode, message: &str, path: &str) -> Response {
    let body = serde_json::json!({
        "error": status.canonical_reason().unwrap_or("Error"),
        "message": message,
        "path": path,
        "status": status.as_u16(),
        "timeStamp": state::rfc3339(crate::clock::now_ms()),
    });
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn error_bodies(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    match response.extensions().get::<PendingError>() {
        Some(PendingError(message)) => error_body(response.status(), message, &path),
        None => response,
    }
}

/// Who is calling, from the bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub role: String,
    pub subject: String,
}

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = SimError;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Self::Rejection> {
        let unauthorized = || SimError::new(StatusCode::UNAUTHORIZED, "a valid bearer token is required");
        let header = parts.headers.get(http::header::AUTHORIZATION).ok_or_else(unauthorized)?;
        let token = header.to_str().ok().and_then(|h| h.strip_prefix("Bearer ")).ok_or_else(unauthorized)?;
        let claims =
            shared.mint.check(token.trim()).filter(|c| c.typ == "access").ok_or_else(unauthorized)?;
        Ok(Caller { role: claims.role, subject: claims.sub })
    }
}
