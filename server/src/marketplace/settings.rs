//! The settings of the STACKIT connection, as flags and environment variables: part of
//! `orderdesk`'s configuration, kept beside the code that uses them.

use std::path::PathBuf;

use clap::Args;
use secrecy::SecretString;

/// How Orderdesk reaches STACKIT's Marketplace.
#[derive(Debug, Clone, Args)]
pub struct StackitConfig {
    /// Base URL of the Marketplace API.
    #[arg(long, env = "STACKIT_API_URL", default_value = "https://stackit-marketplace.api.stackit.cloud")]
    pub stackit_api_url: String,

    /// The vendor's own STACKIT project (a UUID). Without it Orderdesk does not talk to STACKIT.
    #[arg(long, env = "STACKIT_VENDOR_PROJECT_ID")]
    pub stackit_vendor_project_id: Option<uuid::Uuid>,

    /// Path of the service-account key file (JSON, as STACKIT issues it).
    #[arg(long, env = "STACKIT_SERVICE_ACCOUNT_KEY_PATH")]
    pub stackit_service_account_key_path: Option<PathBuf>,

    /// Token endpoint of the key flow; default: the key's own, else STACKIT's.
    #[arg(long, env = "STACKIT_TOKEN_ENDPOINT")]
    pub stackit_token_endpoint: Option<String>,

    /// A static bearer token instead of the key flow (simple set-ups). Secret.
    #[arg(long, env = "STACKIT_ACCESS_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    pub stackit_access_token: Option<SecretString>,

    /// Where STACKIT publishes the keys of sign-up redirect tokens (`{kid: PEM}`).
    #[arg(
        long,
        env = "STACKIT_REDIRECT_KEYS_URL",
        default_value = "https://keys.marketplace.stackit.cloud/v1/resolve-customer/keys.json"
    )]
    pub stackit_redirect_keys_url: String,

    /// The issuer redirect tokens must carry.
    #[arg(
        long,
        env = "STACKIT_REDIRECT_ISSUER",
        default_value = "https://keys.marketplace.stackit.cloud/v1/resolve-customer/keys.json"
    )]
    pub stackit_redirect_issuer: String,

    /// Seconds a Vendor API call may take.
    #[arg(long, env = "STACKIT_API_TIMEOUT_SECS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub stackit_api_timeout_secs: u64,
}

/// A secret setting: any non-empty value, trimmed (shared with the rest of the configuration).
pub fn parse_secret(value: &str) -> Result<SecretString, String> {
    if value.trim().is_empty() {
        return Err("must not be empty".into());
    }
    Ok(SecretString::from(value.trim().to_string()))
}
