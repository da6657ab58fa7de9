//! `VendorClient`: the six Vendor API calls, with paging, timeouts, one re-authentication on 401,
//! and retries with exponential backoff and jitter for safe calls only. Approve and reject are
//! never retried blindly: a lost answer may hide a change STACKIT already made.

use std::sync::Arc;
use std::time::Duration;

use http::Method;
use rand::Rng as _;
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;

use super::auth::Authenticator;
use super::error::VendorApiError;
use super::model::{
    ApproveSubscriptionPayload, ListSubscriptionsResponse, ResolveCustomerPayload, Subscription,
};

/// Page size asked for when listing (STACKIT's maximum).
pub const PAGE_LIMIT: u32 = 100;

/// How often and how patiently safe calls are retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Full jitter: a random delay up to `base * 2^attempt`, capped.
    fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.base_delay.saturating_mul(1_u32 << attempt.min(16)).min(self.max_delay);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::rng().random_range(0..=millis))
    }
}

/// The Vendor API endpoint a call goes to, for metrics (a bounded set of names).
fn endpoint(method: &Method, path: &str) -> &'static str {
    match (method, path.rsplit('/').next().unwrap_or_default()) {
        (_, "approve") => "approve",
        (_, "reject") => "reject",
        (_, "subscriptions") => "list",
        (&Method::POST, _) => "resolve_customer",
        _ => "get",
    }
}

/// How a failed call ended, for metrics.
fn outcome(error: &VendorApiError) -> String {
    match error {
        VendorApiError::Status { status, .. } => status.to_string(),
        VendorApiError::Timeout { .. } => "timeout".into(),
        VendorApiError::Connection { .. } => "connection".into(),
        VendorApiError::Decode { .. } => "unreadable".into(),
        VendorApiError::Auth { .. } => "auth".into(),
    }
}

/// Which subscriptions a listing returns.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub product_id: Option<String>,
    pub include_expired: bool,
}

/// Settings of a client.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// e.g. `https://stackit-marketplace.api.stackit.cloud` (no trailing slash needed).
    pub base_url: String,
    /// The vendor's own STACKIT project.
    pub vendor_project_id: String,
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

/// A Vendor API client for one vendor project. Cheap to clone.
#[derive(Clone)]
pub struct VendorClient {
    http: reqwest::Client,
    auth: Arc<Authenticator>,
    base_url: String,
    project_id: String,
    timeout: Duration,
    retry: RetryPolicy,
}

/// Whether a call may be repeated without changing its effect.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Safety {
    Safe,
    Unsafe,
}

impl VendorClient {
    pub fn new(settings: ClientSettings, auth: Arc<Authenticator>, http: reqwest::Client) -> Self {
        VendorClient {
            http,
            auth,
            base_url: settings.base_url.trim_end_matches('/').to_string(),
            project_id: settings.vendor_project_id,
            timeout: settings.timeout,
            retry: settings.retry,
        }
    }

    /// How long one call may take before it counts as timed out.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The vendor project this client works for.
    /// How this client signs in (for the set-up check's probe of the key flow).
    pub fn authenticator(&self) -> &Authenticator {
        &self.auth
    }

    pub fn vendor_project_id(&self) -> &str {
        &self.project_id
    }

    /// V1: exchanges a sign-up token for its subscription. Reads only, so it is retried.
    pub async fn resolve_customer(&self, token: &str) -> Result<Subscription, VendorApiError> {
        let path = format!("/v1/vendors/projects/{}/resolve-customer", self.project_id);
        let body =
            serde_json::to_vec(&ResolveCustomerPayload { token: token.to_string() }).unwrap_or_default();
        self.call_json(Method::POST, &path, &[], Some(body), Safety::Safe).await
    }

    /// V2, one page. `cursor` continues a listing.
    pub async fn list_page(
        &self,
        filter: &ListFilter,
        cursor: Option<&str>,
    ) -> Result<ListSubscriptionsResponse, VendorApiError> {
        let path = format!("/v1/vendors/projects/{}/subscriptions", self.project_id);
        self.call_json(Method::GET, &path, &list_query(filter, cursor), None, Safety::Safe).await
    }

    /// V2: every subscription of the vendor project, page by page, handed to `each_page`.
    pub async fn for_each_subscription_page<F>(
        &self,
        filter: &ListFilter,
        each_page: F,
    ) -> Result<(), VendorApiError>
    where
        F: FnMut(Vec<Subscription>),
    {
        let path = format!("/v1/vendors/projects/{}/subscriptions", self.project_id);
        self.pages(&path, filter, each_page).await
    }

    /// V2 collected: every subscription of the vendor project.
    pub async fn list_all(&self, filter: &ListFilter) -> Result<Vec<Subscription>, VendorApiError> {
        let mut all = Vec::new();
        self.for_each_subscription_page(filter, |page| all.extend(page)).await?;
        Ok(all)
    }

    /// V3: every subscription of the vendor's products in one customer organisation.
    pub async fn list_by_organization(
        &self,
        organization_id: &str,
        filter: &ListFilter,
    ) -> Result<Vec<Subscription>, VendorApiError> {
        let path = format!("/v1/vendors/organizations/{organization_id}/subscriptions");
        let mut all = Vec::new();
        self.pages(&path, filter, |page| all.extend(page)).await?;
        Ok(all)
    }

    /// V4: one subscription.
    pub async fn get(
        &self,
        subscription_id: &str,
        include_expired: bool,
    ) -> Result<Subscription, VendorApiError> {
        let path = format!("/v1/vendors/projects/{}/subscriptions/{subscription_id}", self.project_id);
        let query = [("includeExpired", include_expired.to_string())];
        self.call_json(Method::GET, &path, &query, None, Safety::Safe).await
    }

    /// V5: approves a pending subscription; billing starts. Sent once: a caller that sees a
    /// transient error must find out the real state (V4) before deciding anything.
    pub async fn approve(
        &self,
        subscription_id: &str,
        instance_target: Option<&str>,
    ) -> Result<(), VendorApiError> {
        let path =
            format!("/v1/vendors/projects/{}/subscriptions/{subscription_id}/approve", self.project_id);
        let payload = ApproveSubscriptionPayload { instance_target: instance_target.map(str::to_string) };
        let body = serde_json::to_vec(&payload).unwrap_or_default();
        self.call(Method::POST, &path, &[], Some(body), Safety::Unsafe).await.map(drop)
    }

    /// V6: refuses a pending subscription of a preview product. Sent once, like `approve`.
    pub async fn reject(&self, subscription_id: &str) -> Result<(), VendorApiError> {
        let path = format!("/v1/vendors/projects/{}/subscriptions/{subscription_id}/reject", self.project_id);
        self.call(Method::POST, &path, &[], None, Safety::Unsafe).await.map(drop)
    }

    async fn pages<F>(&self, path: &str, filter: &ListFilter, mut each_page: F) -> Result<(), VendorApiError>
    where
        F: FnMut(Vec<Subscription>),
    {
        let mut pager =
            Pager { client: self, path: path.to_string(), filter: filter.clone(), cursor: None, done: false };
        while let Some(page) = pager.next_page().await? {
            each_page(page);
        }
        Ok(())
    }

    /// V2 page by page, for callers that do async work between pages (the sync).
    pub fn pager(&self, filter: &ListFilter) -> Pager<'_> {
        let path = format!("/v1/vendors/projects/{}/subscriptions", self.project_id);
        Pager { client: self, path, filter: filter.clone(), cursor: None, done: false }
    }

    async fn call_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
        safety: Safety,
    ) -> Result<T, VendorApiError> {
        let bytes = self.call(method, path, query, body, safety).await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| VendorApiError::Decode { path: path.to_string(), message: e.to_string() })
    }

    /// Sends one request, re-authenticating once on 401 and retrying safe calls on transient errors.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
        safety: Safety,
    ) -> Result<bytes::Bytes, VendorApiError> {
        let url = format!("{}{path}", self.base_url);
        let mut attempt = 0;
        let mut reauthenticated = false;
        loop {
            let bearer = self.auth.bearer().await?;
            let mut request = self
                .http
                .request(method.clone(), &url)
                .query(query)
                .bearer_auth(bearer.expose_secret())
                .header(http::header::ACCEPT, "application/json")
                .timeout(self.timeout);
            if let Some(body) = &body {
                request = request.header(http::header::CONTENT_TYPE, "application/json").body(body.clone());
            }
            let (error, retry_after) = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = retry_after(&response);
                    match response.bytes().await {
                        Ok(bytes) if status.is_success() => {
                            crate::measurements::vendor_call(endpoint(&method, path), "ok");
                            return Ok(bytes);
                        }
                        Ok(bytes) => {
                            (VendorApiError::from_response(status.as_u16(), path, &bytes), retry_after)
                        }
                        Err(error) => (transport_error(path, &error), None),
                    }
                }
                Err(error) => (transport_error(path, &error), None),
            };
            crate::measurements::vendor_call(endpoint(&method, path), &outcome(&error));
            // A 401 was refused before anything happened, so even approve may be sent again.
            if error.status() == Some(401) && !reauthenticated && self.auth.can_reauthenticate() {
                reauthenticated = true;
                self.auth.invalidate(&bearer).await;
                continue;
            }
            attempt += 1;
            if safety == Safety::Unsafe || !error.is_transient() || attempt >= self.retry.max_attempts {
                return Err(error);
            }
            let delay = retry_after.unwrap_or_else(|| self.retry.delay(attempt)).min(self.retry.max_delay);
            tracing::debug!(%error, attempt, ?delay, "retrying a Vendor API call");
            tokio::time::sleep(delay).await;
        }
    }
}

/// Walks a listing page by page, following `cursor` until it is null, empty or absent.
pub struct Pager<'a> {
    client: &'a VendorClient,
    path: String,
    filter: ListFilter,
    cursor: Option<String>,
    done: bool,
}

impl Pager<'_> {
    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Subscription>>, VendorApiError> {
        if self.done {
            return Ok(None);
        }
        let query = list_query(&self.filter, self.cursor.as_deref());
        let page: ListSubscriptionsResponse =
            self.client.call_json(Method::GET, &self.path, &query, None, Safety::Safe).await?;
        match page.cursor.filter(|c| !c.is_empty()) {
            Some(next) if Some(&next) == self.cursor.as_ref() => {
                return Err(VendorApiError::Decode {
                    path: self.path.clone(),
                    message: "the listing returned the same cursor twice".into(),
                });
            }
            Some(next) => self.cursor = Some(next),
            None => self.done = true,
        }
        Ok(Some(page.items))
    }
}

fn list_query(filter: &ListFilter, cursor: Option<&str>) -> Vec<(&'static str, String)> {
    let mut query =
        vec![("limit", PAGE_LIMIT.to_string()), ("includeExpired", filter.include_expired.to_string())];
    if let Some(product) = &filter.product_id {
        query.push(("productId", product.clone()));
    }
    if let Some(cursor) = cursor {
        query.push(("cursor", cursor.to_string()));
    }
    query
}

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let seconds =
        response.headers().get(http::header::RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(seconds))
}

fn transport_error(path: &str, error: &reqwest::Error) -> VendorApiError {
    if error.is_timeout() {
        VendorApiError::Timeout { path: path.to_string() }
    } else if error.is_decode() {
        VendorApiError::Decode { path: path.to_string(), message: error.to_string() }
    } else {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            message = format!("{message}: {inner}");
            source = inner.source();
        }
        VendorApiError::Connection { path: path.to_string(), message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_under_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        for attempt in 0..20 {
            let delay = policy.delay(attempt);
            assert!(delay <= Duration::from_secs(1));
            assert!(delay <= Duration::from_millis(100) * (1 << attempt.min(16)));
        }
    }

    #[test]
    fn listing_asks_for_full_pages_and_passes_the_filter() {
        let filter = ListFilter { product_id: Some("p-1a2b3c4d".into()), include_expired: true };
        let query = list_query(&filter, Some("abc"));
        assert_eq!(
            query,
            vec![
                ("limit", "100".to_string()),
                ("includeExpired", "true".to_string()),
                ("productId", "p-1a2b3c4d".to_string()),
                ("cursor", "abc".to_string())
            ]
        );
    }
}
