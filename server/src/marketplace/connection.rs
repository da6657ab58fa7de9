//! Builds the Marketplace client and the redirect-token verifier from configuration, refusing
//! incomplete settings at start-up with the name of what is missing.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};

use super::auth::{Authenticator, Credentials, DEFAULT_TOKEN_ENDPOINT, ServiceAccountKey};
use super::client::{ClientSettings, RetryPolicy, VendorClient};
use super::redirect_token::{RedirectTokenVerifier, VerifierSettings};
use super::settings::StackitConfig;

/// Orderdesk's connection to STACKIT.
#[derive(Clone)]
pub struct Marketplace {
    pub client: VendorClient,
    pub verifier: Arc<RedirectTokenVerifier>,
}

impl Marketplace {
    /// `None` when no vendor project is configured (Orderdesk then runs without STACKIT).
    pub fn from_config(config: &StackitConfig) -> anyhow::Result<Option<Self>> {
        let Some(project) = config.stackit_vendor_project_id else {
            return Ok(None);
        };
        let credentials = match (&config.stackit_service_account_key_path, &config.stackit_access_token) {
            (Some(_), Some(_)) => {
                bail!("set either STACKIT_SERVICE_ACCOUNT_KEY_PATH or STACKIT_ACCESS_TOKEN, not both")
            }
            (None, None) => bail!(
                "STACKIT_VENDOR_PROJECT_ID is set but no credentials: set STACKIT_SERVICE_ACCOUNT_KEY_PATH (or STACKIT_ACCESS_TOKEN)"
            ),
            (None, Some(token)) => Credentials::StaticToken(token.clone()),
            (Some(path), None) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("reading STACKIT_SERVICE_ACCOUNT_KEY_PATH={}", path.display())
                })?;
                let key = ServiceAccountKey::from_json(&text).map_err(|e| {
                    anyhow::anyhow!("STACKIT_SERVICE_ACCOUNT_KEY_PATH={}: {e}", path.display())
                })?;
                let token_endpoint = config
                    .stackit_token_endpoint
                    .clone()
                    .or_else(|| key.credentials.token_endpoint.clone())
                    .unwrap_or_else(|| DEFAULT_TOKEN_ENDPOINT.to_string());
                Credentials::ServiceAccount { key, token_endpoint }
            }
        };
        let http = reqwest::Client::builder()
            .user_agent(concat!("orderdesk/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .context("building the HTTP client")?;
        let auth = Arc::new(Authenticator::new(credentials, http.clone()));
        let settings = ClientSettings {
            base_url: config.stackit_api_url.clone(),
            vendor_project_id: project.to_string(),
            timeout: Duration::from_secs(config.stackit_api_timeout_secs),
            retry: RetryPolicy::default(),
        };
        let client = VendorClient::new(settings, auth, http.clone());
        let verifier = Arc::new(RedirectTokenVerifier::new(
            VerifierSettings::new(&config.stackit_redirect_keys_url, &config.stackit_redirect_issuer),
            http,
        ));
        Ok(Some(Marketplace { client, verifier }))
    }
}
