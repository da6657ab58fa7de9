//! `Application`: builds everything from a `Config` (binding the listener first, so port 0 works)
//! and serves until stopped. Tests run exactly this, as the binary does.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, MatchedPath, Request};
use axum::routing::get;
use http::StatusCode;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::db::Database;
use crate::jobs::runner::{RetryPause, Worker};
use crate::jobs::schedule::SyncSchedule;
use crate::mail::Mailer;
use crate::mail::notify::MailContext;
use crate::marketplace::connection::Marketplace;
use crate::security::{CspNonce, security_headers};
use crate::{health, ports};

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Database,
    /// `None` when no STACKIT vendor project is configured.
    pub marketplace: Option<Marketplace>,
    /// Required of `/metrics` scrapers when set.
    pub metrics_token: crate::metrics::MetricsToken,
}

/// A built application: the listener is bound, the database migrated.
pub struct Application {
    listener: TcpListener,
    router: Router,
    db: Database,
    marketplace: Option<Marketplace>,
    worker: Worker,
    sync: SyncSchedule,
}

impl Application {
    /// Connects and migrates the database, builds the router and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let database_url = config.database_url();
        let db = Database::connect(&database_url, config.db_max_connections).await?;
        // Indexes a first sync left deferred (it stopped mid-load), before any migration that
        // may change them.
        let built = crate::db::bulk_load::restore(&db).await?;
        if built > 0 {
            tracing::info!(indexes = built, "built the indexes a first sync left deferred");
        }
        db.migrate().await?;
        tracing::info!(database = %database_url.redacted(), "database ready");
        let marketplace = Marketplace::from_config(&config.stackit)?;
        match &marketplace {
            Some(m) => {
                tracing::info!(api = %config.stackit.stackit_api_url, project = %m.client.vendor_project_id(), "STACKIT configured")
            }
            None => tracing::info!("STACKIT not configured (STACKIT_VENDOR_PROJECT_ID unset)"),
        }

        if let Some(concurrent) = config.password_hash_concurrency {
            crate::accounts::passwords::limit_concurrency(usize::from(concurrent));
        }
        let mailer = Mailer::new(config.mail_settings(), &db)?;
        if mailer.captures() {
            tracing::info!(
                "mail is captured in the database (ORDERDESK_SMTP_URL unset): admins read it in the outbox"
            );
        }

        if let Some(warning) = config.metrics_exposure() {
            tracing::warn!("{warning}");
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("binding ORDERDESK_LISTEN={}", config.listen))?;
        let address = listener.local_addr().context("reading the bound address")?;

        let leptos_options = LeptosOptions::builder()
            .output_name("orderdesk")
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(address)
            .build();
        let state = AppState {
            leptos_options,
            db: db.clone(),
            marketplace: marketplace.clone(),
            metrics_token: crate::metrics::MetricsToken(config.metrics_token.clone()),
        };
        let origin = config.public_url.clone().unwrap_or_else(|| format!("http://{address}"));
        let mail_context = MailContext {
            origin: origin.trim_end_matches('/').to_string(),
            vendor_name: config.vendor_name.clone(),
            zone: app::i18n::Clock::named(&config.default_time_zone),
        };
        let retry = RetryPause { base_ms: i64::try_from(config.job_retry_base_ms).unwrap_or(30_000) };
        let client = marketplace.as_ref().map(|m| m.client.clone());
        let lease = std::time::Duration::from_secs(config.job_lease_secs);
        let webhook = match (&config.webhook_url, &config.webhook_secret) {
            (Some(url), Some(secret)) => Some(crate::webhooks::Webhook::new(url.clone(), secret.clone())?),
            (Some(_), None) => {
                anyhow::bail!("ORDERDESK_WEBHOOK_SECRET is required when ORDERDESK_WEBHOOK_URL is set")
            }
            (None, _) => None,
        };
        let worker =
            Worker::new(db.clone(), mailer, mail_context, client, retry, lease).with_webhook(webhook);
        let router = router(state, &config, origin.trim_end_matches('/').to_string(), worker.clone());
        let sync = SyncSchedule {
            full_every: std::time::Duration::from_secs(config.sync_interval_secs),
            pending_every: std::time::Duration::from_secs(config.pending_poll_secs),
            reminder_days: config.deadline_reminder_days.clone(),
        };
        Ok(Application { listener, router, db, marketplace, worker, sync })
    }

    /// The port the application listens on (the real one when port 0 was asked for).
    pub fn port(&self) -> u16 {
        self.address().map(|a| a.port()).unwrap_or_default()
    }

    /// The bound address.
    pub fn address(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The database the application uses (tests inspect it).
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The job runner this application runs in the background (tests run it by hand, too).
    pub fn worker(&self) -> &Worker {
        &self.worker
    }

    /// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight and returns.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(address = %self.address()?, "Orderdesk is listening");
        let runner = tokio::spawn(self.worker.clone().run_forever(std::time::Duration::from_secs(1)));
        let indexer = tokio::spawn(crate::jobs::search_index::run_forever(self.db.clone()));
        let sync = self.marketplace.as_ref().map(|marketplace| {
            tokio::spawn(crate::jobs::schedule::run_forever(
                marketplace.client.clone(),
                self.db.clone(),
                self.sync,
            ))
        });
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service).with_graceful_shutdown(shutdown_signal()).await;
        if let Some(sync) = sync {
            sync.abort();
        }
        runner.abort();
        indexer.abort();
        served.context("serving HTTP")?;
        self.db.pool().close().await;
        tracing::info!("Orderdesk stopped");
        Ok(())
    }
}

fn router(state: AppState, config: &Config, origin: String, worker: Worker) -> Router {
    let ports =
        ports::ports(&state.db, state.marketplace.clone(), config, stackit_info(config), &origin, worker);
    let ports_for_export = ports.clone();
    let ports_for_api = ports.clone();
    let vendor_name = config.vendor_name.clone();
    let zone = app::i18n::DefaultZone(app::i18n::Clock::named(&config.default_time_zone));
    let context = move || {
        provide_context(zone.clone());
        provide_context(ports.clone());
        provide_context(app::api::session::OperatorCache::default());
        provide_context(app::context::SiteOrigin(origin.clone()));
        provide_context(app::context::VendorBrand { name: vendor_name.clone() });
        if let Some(parts) = leptos::prelude::use_context::<http::request::Parts>()
            && let Some(nonce) = parts.extensions.get::<CspNonce>()
        {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
        }
    };
    let routes = route_list();
    let body_limit = usize::try_from(config.body_limit_bytes).unwrap_or(usize::MAX);
    // One log line per request, when it is answered: method, matched route, status, latency.
    let request_log = TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            let route = request.extensions().get::<MatchedPath>().map_or("(fallback)", MatchedPath::as_str);
            tracing::info_span!("request", method = %request.method(), route = %route)
        })
        .on_request(())
        .on_response(|response: &http::Response<_>, latency: std::time::Duration, _: &tracing::Span| {
            let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
            tracing::info!(status = response.status().as_u16(), latency_ms, "answered");
        })
        .on_body_chunk(())
        .on_eos(())
        .on_failure(());

    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(crate::metrics::endpoint))
        .route("/orders.csv", get(crate::export::orders_csv))
        .layer(axum::Extension(crate::export::Exports::new(state.db.clone(), ports_for_export)))
        .merge(crate::api_v1::routes(state.db.clone(), ports_for_api, config.api_requests_per_minute));
    if config.signup_path != SIGNUP_PAGE {
        router = router.route(&config.signup_path, get(signup_alias));
    }
    router
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, app::shell))
        // Inside compression: it reads server functions' error bodies as they were written.
        .layer(axum::middleware::from_fn(crate::error_status::server_fn_errors))
        .layer(axum::middleware::from_fn(crate::security::refuse_nul_characters))
        // Innermost first: the timeout and body limits wrap the routes, compression wraps those, the security headers
        // wrap those (so every answer carries them), and the request log wraps everything.
        .layer(
            ServiceBuilder::new()
                .layer(CompressionLayer::new())
                .layer(RequestBodyLimitLayer::new(body_limit))
                .layer(DefaultBodyLimit::max(body_limit))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout())),
        )
        .layer(axum::middleware::from_fn_with_state(
            crate::security::Hsts(config.public_url_is_https()),
            security_headers,
        ))
        .layer(axum::middleware::from_fn(crate::security::refuse_cross_site_writes))
        .layer(axum::middleware::from_fn(crate::api_v1::as_problems))
        .layer(axum::middleware::from_fn_with_state(
            crate::security::TrustedProxies::new(&config.trusted_proxies),
            crate::security::record_client_address,
        ))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(request_log)
        .with_state(state)
}

/// Where the sign-up page lives in the app.
const SIGNUP_PAGE: &str = "/signup";

/// The sign-up URL registered with STACKIT when it is not `/signup`: passes the query on.
async fn signup_alias(uri: http::Uri) -> axum::response::Redirect {
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    axum::response::Redirect::temporary(&format!("{SIGNUP_PAGE}{query}"))
}

/// The app's routes, generated once per process. Generating them runs the app with resource
/// loading suppressed process-wide (leptos-rs/leptos#4773): done while another application in
/// the same process renders (parallel tests), it can leave that render waiting forever.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The STACKIT connection in words for the settings page; secrets stay out.
fn stackit_info(config: &Config) -> app::model::StackitInfo {
    let stackit = &config.stackit;
    let credentials = match (&stackit.stackit_service_account_key_path, &stackit.stackit_access_token) {
        (Some(path), _) => format!("service-account key file {}", path.display()),
        (None, Some(_)) => "static bearer token (STACKIT_ACCESS_TOKEN)".into(),
        (None, None) => "not configured".into(),
    };
    app::model::StackitInfo {
        api_url: stackit.stackit_api_url.clone(),
        vendor_project_id: stackit.stackit_vendor_project_id.map(|id| id.to_string()),
        credentials,
        redirect_keys_url: stackit.stackit_redirect_keys_url.clone(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
