//! The key map behind the redirect token: fetched from the configured keys URL by one request
//! at a time, kept while fresh, fetched again once on an unknown `kid` (a key rotation), with
//! a growing pause after failures and a cap on what is read.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use std::sync::PoisonError;

use super::{MAX_FAILURE_BACKOFF, MAX_KEY_MAP_BYTES, RedirectTokenError, RedirectTokenVerifier};

#[derive(Default)]
pub(super) struct KeyCache {
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
    /// The last failed fetch and how many failed in a row since the last success.
    failed_at: Option<Instant>,
    failures: u32,
}

impl RedirectTokenVerifier {
    /// The key named `kid`, fetching the key map when it is stale, or once (rate limited) when the
    /// `kid` is unknown, as after a key rotation.
    pub(super) async fn key(&self, kid: &str) -> Result<DecodingKey, RedirectTokenError> {
        if self.should_fetch(kid) {
            // A request that has its key waits for nobody: if another is fetching, it goes on
            // with the cached (stale) key. One without its key waits for that fetch's outcome.
            let turn = if self.lookup(kid).is_some() {
                self.fetching.try_lock().ok()
            } else {
                Some(self.fetching.lock().await)
            };
            if let Some(_turn) = turn
                && self.should_fetch(kid)
            {
                let fetched = self.fetch_keys().await;
                self.store(fetched)?;
            }
        }
        self.lookup(kid).ok_or_else(|| {
            if self.cache().fetched_at.is_none() {
                RedirectTokenError::KeysUnavailable("the last fetch failed; it is tried again shortly".into())
            } else {
                RedirectTokenError::UnknownKey(kid.to_string())
            }
        })
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, KeyCache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lookup(&self, kid: &str) -> Option<DecodingKey> {
        self.cache().keys.get(kid).cloned()
    }

    /// Whether the key map should be fetched for `kid` now: it is stale, or `kid` is unknown
    /// and the last fetch is long enough ago, and no failed fetch is too recent.
    fn should_fetch(&self, kid: &str) -> bool {
        let cache = self.cache();
        let age = cache.fetched_at.map(|at| at.elapsed());
        let stale = age.is_none_or(|age| age > self.settings.max_key_age);
        let unknown = !cache.keys.contains_key(kid);
        let may_refetch = age.is_none_or(|age| age >= self.settings.min_refetch_interval);
        let backoff = self
            .settings
            .failure_backoff
            .saturating_mul(2_u32.saturating_pow(cache.failures.saturating_sub(1).min(16)))
            .min(MAX_FAILURE_BACKOFF);
        let backing_off = cache.failed_at.is_some_and(|at| at.elapsed() < backoff);
        (stale || (unknown && may_refetch)) && !backing_off
    }

    /// Keeps a fetch's outcome. Stale keys still serve while the keys URL is down; no keys at all
    /// cannot, and that failure is returned.
    fn store(
        &self,
        fetched: Result<HashMap<String, DecodingKey>, RedirectTokenError>,
    ) -> Result<(), RedirectTokenError> {
        let mut cache = self.cache();
        match fetched {
            Ok(keys) => {
                cache.keys = keys;
                cache.fetched_at = Some(Instant::now());
                cache.failed_at = None;
                cache.failures = 0;
                Ok(())
            }
            Err(error) => {
                cache.failed_at = Some(Instant::now());
                cache.failures = cache.failures.saturating_add(1);
                if cache.keys.is_empty() {
                    return Err(error);
                }
                tracing::warn!(%error, "refreshing STACKIT's redirect keys failed");
                Ok(())
            }
        }
    }

    /// For the set-up check: fetches the key map now and counts its usable RSA keys.
    pub async fn probe_keys(&self) -> Result<usize, RedirectTokenError> {
        Ok(self.fetch_keys().await?.len())
    }

    /// The address the key map is fetched from.
    pub fn keys_url(&self) -> &str {
        &self.settings.keys_url
    }

    async fn fetch_keys(&self) -> Result<HashMap<String, DecodingKey>, RedirectTokenError> {
        let unavailable = |message: String| RedirectTokenError::KeysUnavailable(message);
        let mut response = self
            .http
            .get(&self.settings.keys_url)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| unavailable(format!("{} unreachable: {e}", self.settings.keys_url)))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("{} answered {}", self.settings.keys_url, response.status())));
        }
        if response.content_length().is_some_and(|length| length > MAX_KEY_MAP_BYTES as u64) {
            return Err(unavailable(format!("the key map is larger than {MAX_KEY_MAP_BYTES} bytes")));
        }
        let mut body = Vec::new();
        while let Some(chunk) =
            response.chunk().await.map_err(|e| unavailable(format!("reading the key map: {e}")))?
        {
            if body.len() + chunk.len() > MAX_KEY_MAP_BYTES {
                return Err(unavailable(format!("the key map is larger than {MAX_KEY_MAP_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        let map: HashMap<String, String> =
            serde_json::from_slice(&body).map_err(|e| unavailable(format!("unreadable key map: {e}")))?;
        let mut keys = HashMap::new();
        for (kid, pem) in map {
            match DecodingKey::from_rsa_pem(pem.as_bytes()) {
                Ok(key) => {
                    keys.insert(kid, key);
                }
                Err(error) => {
                    tracing::warn!(%kid, %error, "skipping a redirect key that is not an RSA public key")
                }
            }
        }
        Ok(keys)
    }
}
