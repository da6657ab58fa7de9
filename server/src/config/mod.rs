//! `Config`: every setting, read once at start-up from flags and environment variables.
//! A missing or malformed setting stops start-up with a message that names it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;

pub use crate::db::url::{DatabaseKind, DatabaseUrl};
pub use crate::marketplace::settings::StackitConfig;
use crate::marketplace::settings::parse_secret;

/// The `orderdesk` command line.
#[derive(Debug, Parser)]
#[command(
    name = "orderdesk",
    version,
    about = "Vendor console for SaaS async. orders from the STACKIT Marketplace"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

/// What the binary does; serving the console is the default.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console (the default when no command is given).
    Serve,
    /// Serve the console with the STACKIT Marketplace simulator embedded and seeded with demo
    /// orders: everything on one machine, nothing to configure.
    Demo,
    /// Run the STACKIT Marketplace simulator alone (for development against it, and for SDKs).
    Simulator(SimulatorArgs),
    /// Manage operator accounts from the command line (the first admin).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Check the whole set-up (configuration, STACKIT, sign-up, mail, webhook, database) before
    /// going live; exit status 1 when a line fails.
    Check {
        /// The language of the report: `en` or `de`.
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// Manage the automation API's tokens (`/api/v1`).
    #[command(subcommand, name = "api-token")]
    ApiToken(ApiTokenCommand),
}

/// `orderdesk api-token ...`
#[derive(Debug, Subcommand)]
pub enum ApiTokenCommand {
    /// Create a token; it is printed once (keep it in your secret store) and stored only hashed.
    Create {
        /// What the token is for; its actions are recorded under this name.
        #[arg(long)]
        name: String,
        /// viewer (reads) or operator.
        #[arg(long, default_value = "viewer", value_parser = ["viewer", "operator"])]
        role: String,
        /// Days until the token stops working (none: until revoked).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
        expires_in_days: Option<u32>,
    },
    /// List the tokens: name, role, created, expiry, revoked, last use (never a secret).
    List,
    /// Revoke the token called NAME at once.
    Revoke {
        #[arg(long)]
        name: String,
    },
}

/// `orderdesk admin ...`
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an operator account; the password is read from standard input (prompted on a terminal).
    Create {
        /// The operator's e-mail address (their sign-in name).
        #[arg(long)]
        email: String,
        /// The name shown in the console.
        #[arg(long, default_value = "Administrator")]
        name: String,
        /// admin, operator or viewer.
        #[arg(long, default_value = "admin", value_parser = ["admin", "operator", "viewer"])]
        role: String,
    },
}

/// Settings of `orderdesk simulator`.
#[derive(Debug, Clone, Args)]
pub struct SimulatorArgs {
    /// Address and port of the simulator.
    #[arg(long = "listen", id = "simulator_listen", default_value = "127.0.0.1:4000")]
    pub listen: SocketAddr,
    /// Where to write the vendor's service-account key file (STACKIT's format, its
    /// `credentials.tokenEndpoint` pointing at the simulator).
    #[arg(long)]
    pub vendor_key_out: PathBuf,
    /// The vendor's STACKIT project ID (a UUID); random when not given.
    #[arg(long)]
    pub vendor_project_id: Option<uuid::Uuid>,
    /// Number of realistic subscriptions to create at start, in every lifecycle state.
    #[arg(long = "seed", default_value_t = 40)]
    pub seed_subscriptions: usize,
    /// Seed of the random generator behind seeded data (same seed, same data).
    #[arg(long, default_value_t = 1)]
    pub random_seed: u64,
    /// The vendor's sign-up URL, where consumer redirects point.
    #[arg(long, default_value = "http://127.0.0.1:3000/signup")]
    pub signup_url: String,
}

/// Where log lines go and how they look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Settings of the server. Each has a flag and an environment variable (see `.env.example`).
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, env = "ORDERDESK_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Folder for Orderdesk's own files (the embedded SQLite database by default); created on start.
    #[arg(long, env = "ORDERDESK_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database: `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DB`. Default: SQLite in the data folder.
    #[arg(long, env = "DATABASE_URL", value_parser = DatabaseUrl::parse, hide_env_values = true)]
    pub database_url: Option<DatabaseUrl>,

    /// Most database connections this process opens.
    #[arg(long, env = "ORDERDESK_DB_MAX_CONNECTIONS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_max_connections: u32,

    /// Folder with the compiled site (`pkg/` with wasm, JS and CSS, plus public assets).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Seconds a request may take before it is answered with 408.
    #[arg(long, env = "ORDERDESK_REQUEST_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout_secs: u64,

    /// Requests each automation-API token may make per minute (in a burst or spread out), per
    /// replica; more get 429 with `Retry-After`.
    #[arg(long, env = "ORDERDESK_API_REQUESTS_PER_MINUTE", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub api_requests_per_minute: u32,

    /// Largest request body accepted, in bytes; larger ones get 413.
    #[arg(long, env = "ORDERDESK_BODY_LIMIT_BYTES", default_value_t = 1024 * 1024, value_parser = clap::value_parser!(u64).range(1024..=64 * 1024 * 1024))]
    pub body_limit_bytes: u64,

    /// Log format.
    #[arg(long, env = "ORDERDESK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// The address people use to reach Orderdesk (e.g. https://orders.vendor.example). Cookies are
    /// `Secure` unless it is plain http on this machine.
    #[arg(long, env = "ORDERDESK_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The networks of the reverse proxies (ingress) in front of Orderdesk, comma-separated CIDRs
    /// such as `10.0.0.0/8,fd00::/8`. Only from these peers is `X-Forwarded-For` believed (its
    /// right-most address that is not such a proxy is the client's), for limits per client.
    /// Empty: the peer's own address is the client's, and `X-Forwarded-For` is ignored.
    #[arg(long, env = "ORDERDESK_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Passwords hashed or checked at once (each Argon2id run holds 19 MiB); default: one per
    /// core. Requests that wait more than 5 seconds for their turn get 503 with `Retry-After`.
    #[arg(long, env = "ORDERDESK_PASSWORD_HASH_CONCURRENCY", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub password_hash_concurrency: Option<u16>,

    /// Minutes without activity after which an operator's session ends.
    #[arg(long, env = "ORDERDESK_SESSION_IDLE_MINUTES", default_value_t = 480, value_parser = clap::value_parser!(u64).range(1..=10_080))]
    pub session_idle_minutes: u64,

    /// Hours after sign-in after which a session ends however active it is.
    #[arg(long, env = "ORDERDESK_SESSION_MAX_HOURS", default_value_t = 168, value_parser = clap::value_parser!(u64).range(1..=2_160))]
    pub session_max_hours: u64,

    /// Seconds between two full syncs with STACKIT (the first runs at start).
    #[arg(long, env = "ORDERDESK_SYNC_INTERVAL_SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(5..=86_400))]
    pub sync_interval_secs: u64,

    /// Where signed order events are POSTed (an http(s) URL); none: no webhook.
    #[arg(long, env = "ORDERDESK_WEBHOOK_URL", value_parser = parse_http_url)]
    pub webhook_url: Option<String>,

    /// The webhook's shared secret (HMAC-SHA256 key); required with `ORDERDESK_WEBHOOK_URL`.
    #[arg(long, env = "ORDERDESK_WEBHOOK_SECRET", hide_env_values = true, value_parser = parse_secret)]
    pub webhook_secret: Option<SecretString>,

    /// When set, `/metrics` answers only requests with `Authorization: Bearer <this>`.
    #[arg(long, env = "ORDERDESK_METRICS_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    pub metrics_token: Option<SecretString>,

    /// Seconds between the quick polls of pending orders (their approvals, cancellations and
    /// time-outs show sooner than the full sync would show them).
    #[arg(long, env = "ORDERDESK_PENDING_POLL_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub pending_poll_secs: u64,

    /// Pause before a failed job's second attempt, in milliseconds; it doubles with every
    /// further attempt (with jitter) up to an hour.
    #[arg(long, env = "ORDERDESK_JOB_RETRY_BASE_MS", default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    pub job_retry_base_ms: u64,

    /// How long a worker holds a running job before another replica may take it over (its worker
    /// died); longer than any job takes.
    #[arg(long, env = "ORDERDESK_JOB_LEASE_SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub job_lease_secs: u64,

    /// Days before an order's approval deadline at which operators are reminded, comma-separated.
    #[arg(long, env = "ORDERDESK_DEADLINE_REMINDER_DAYS", value_delimiter = ',', default_value = "3,1")]
    pub deadline_reminder_days: Vec<u32>,

    /// The vendor's name as customers know it, on customer pages and in mails. Default: the
    /// vendor name STACKIT gives on each product (and "Orderdesk" where there is none).
    #[arg(long, env = "ORDERDESK_VENDOR_NAME")]
    pub vendor_name: Option<String>,

    /// The IANA time zone for pages whose viewer's browser has not reported one (before
    /// JavaScript runs, or without it) and for the dates in customers' mails.
    #[arg(long, env = "ORDERDESK_DEFAULT_TIME_ZONE", default_value = "Europe/Berlin", value_parser = parse_zone)]
    pub default_time_zone: String,

    /// Where mails go out: `smtps://user:password@host:465` (TLS), `smtp://user:password@host:587`
    /// (STARTTLS, required: nothing is sent without it) or `smtp://host:25?tls=none` (plaintext,
    /// for a relay you trust; a relay on this machine may also be plain `smtp://localhost:25`).
    /// Without it, mails are captured in the database and shown to admins in the console's
    /// outbox, and nothing leaves the machine. Secret.
    #[arg(long, env = "ORDERDESK_SMTP_URL", hide_env_values = true, value_parser = parse_secret)]
    pub smtp_url: Option<SecretString>,

    /// Show the one-time links (address verification, password reset, invitations) of captured
    /// mails in the console's outbox. Off (the default outside `orderdesk demo`): they are stored
    /// and shown redacted, so no admin can open a customer's reset link.
    #[arg(long, env = "ORDERDESK_SHOW_CAPTURED_LINKS")]
    pub show_captured_links: bool,

    /// The sign-up URL's path as registered with STACKIT (the address customers arrive at with
    /// their token). Another path than `/signup` is passed on to it.
    #[arg(long, env = "ORDERDESK_SIGNUP_PATH", default_value = "/signup", value_parser = parse_path)]
    pub signup_path: String,

    /// A folder with the vendor's own customer documentation (`onboarding.md`, `usage.md`,
    /// `marketplace.md`, or per language `usage.de.md`); missing pages use the built-in ones.
    #[arg(long, env = "ORDERDESK_DOCS_DIR")]
    pub docs_dir: Option<PathBuf>,

    /// Demo mode only: where the embedded STACKIT simulator listens (port 0: any free port).
    #[arg(long, env = "ORDERDESK_DEMO_SIMULATOR_LISTEN", default_value = "127.0.0.1:0")]
    pub demo_simulator_listen: SocketAddr,

    /// A PEM file of certificate authorities to trust for the SMTP relay besides the public ones
    /// (a relay whose certificate comes from a private CA).
    #[arg(long, env = "ORDERDESK_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,

    /// The sender of Orderdesk's mails.
    #[arg(long, env = "ORDERDESK_MAIL_FROM", default_value = "Orderdesk <orderdesk@localhost>")]
    pub mail_from: String,

    #[command(flatten)]
    pub stackit: StackitConfig,
}

fn parse_zone(value: &str) -> Result<String, String> {
    app::i18n::Clock::parse(value)
        .map(|_| value.to_string())
        .ok_or_else(|| "must be an IANA time zone like Europe/Berlin or UTC".into())
}

fn parse_path(value: &str) -> Result<String, String> {
    let reserved = ["/api", "/pkg", "/healthz", "/readyz"];
    let plain = value.chars().all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c));
    if !value.starts_with('/') || value.len() < 2 || !plain || value.contains("//") {
        return Err("must be a path like /signup (letters, digits, - _ . and /)".into());
    }
    if reserved.iter().any(|r| value == *r || value.starts_with(&format!("{r}/"))) {
        return Err(format!("{value} is taken by Orderdesk itself"));
    }
    Ok(value.trim_end_matches('/').to_string())
}

fn parse_network(value: &str) -> Result<ipnet::IpNet, String> {
    let value = value.trim();
    value
        .parse::<ipnet::IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{value:?} is not a network like 10.0.0.0/8 or an address like 10.1.2.3"))
}

fn parse_http_url(value: &str) -> Result<String, String> {
    match reqwest::Url::parse(value.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url.to_string()),
        _ => Err("must be an http(s) URL like https://hooks.vendor.example/orderdesk".into()),
    }
}

impl Config {
    /// The database to use: the configured URL, or SQLite in the data folder.
    pub fn database_url(&self) -> DatabaseUrl {
        self.database_url.clone().unwrap_or_else(|| DatabaseUrl::sqlite_in(&self.data_dir))
    }

    /// Whether cookies must be `Secure`: always, except for plain http on a loopback address.
    pub fn secure_cookies(&self) -> bool {
        match &self.public_url {
            Some(url) => !is_plain_http_on_loopback(url),
            None => !self.listen.ip().is_loopback(),
        }
    }

    /// Whether the public URL is https (browsers are then told to keep to https).
    pub fn public_url_is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .and_then(|url| reqwest::Url::parse(url).ok())
            .is_some_and(|u| u.scheme() == "https")
    }

    /// A warning when `/metrics` answers anyone who can reach the listening address: no
    /// `ORDERDESK_METRICS_TOKEN` and an address other than loopback.
    pub fn metrics_exposure(&self) -> Option<String> {
        (self.metrics_token.is_none() && !self.listen.ip().is_loopback()).then(|| {
            format!(
                "/metrics is open to anyone who can reach {}: set ORDERDESK_METRICS_TOKEN, or keep the \
                 path away from the public ingress",
                self.listen
            )
        })
    }

    /// How long operator sessions live.
    pub fn session_policy(&self) -> crate::accounts::SessionPolicy {
        let minute = 60_000_i64;
        crate::accounts::SessionPolicy {
            idle_ms: i64::try_from(self.session_idle_minutes).unwrap_or(480) * minute,
            absolute_ms: i64::try_from(self.session_max_hours).unwrap_or(168) * 60 * minute,
        }
    }

    /// How mail leaves.
    pub fn mail_settings(&self) -> crate::mail::MailSettings<'_> {
        crate::mail::MailSettings {
            smtp_url: self.smtp_url.as_ref(),
            from: &self.mail_from,
            ca_file: self.smtp_ca_file.as_deref(),
            show_links: self.show_captured_links,
        }
    }

    /// The request timeout as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

/// Whether `url` is plain http to this machine (`localhost`, `127.0.0.1`, `[::1]`).
fn is_plain_http_on_loopback(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else { return false };
    let loopback = |host: &str| {
        host == "localhost"
            || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    };
    url.scheme() == "http" && url.host_str().is_some_and(loopback)
}

#[cfg(test)]
mod tests;
