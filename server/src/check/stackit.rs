//! The links to STACKIT: the key flow (step 2), the vendor project's subscriptions and products
//! (step 3), and the sign-up redirect: the keys of its tokens and the address to register (step 4).

use std::collections::BTreeMap;

use app::i18n::CheckText;
use app::model::CheckOutcome;

use super::Lines;
use crate::config::Config;
use crate::db::Database;
use crate::marketplace::auth::ServiceAccountKey;
use crate::marketplace::client::ListFilter;
use crate::marketplace::connection::Marketplace;

/// Steps 2 to 4 as far as STACKIT: each needs the one before it, so a failure skips the rest.
pub(super) async fn marketplace(config: &Config, db: &Database, lines: &mut Lines) {
    let settings = &config.stackit;
    let Some(project) = settings.stackit_vendor_project_id else {
        let detail = format!("STACKIT_VENDOR_PROJECT_ID: {}", lines.t(CheckText::NotSet));
        lines.fail(2, CheckText::VendorProject, detail, CheckText::ProjectMissing);
        for (step, what) in
            [(2, CheckText::Token), (3, CheckText::Subscriptions), (4, CheckText::RedirectKeys)]
        {
            lines.skip(step, what);
        }
        return;
    };
    match &settings.stackit_service_account_key_path {
        Some(path) => {
            let read = std::fs::read_to_string(path).map_err(|e| e.to_string());
            match read.and_then(|text| ServiceAccountKey::from_json(&text)) {
                Ok(_) => lines.pass(2, CheckText::KeyFile, path.display().to_string()),
                Err(error) => {
                    lines.fail(
                        2,
                        CheckText::KeyFile,
                        format!("{}: {error}", path.display()),
                        CheckText::KeyFileBad,
                    );
                    lines.skip(2, CheckText::Token);
                    lines.skip(3, CheckText::Subscriptions);
                    return keys_only(settings, lines).await;
                }
            }
        }
        None => {
            let detail = lines.t(CheckText::StaticToken);
            lines.add(2, CheckText::KeyFile, CheckOutcome::Warn, detail, Some(CheckText::StaticTokenAdvice));
        }
    }
    let market = match Marketplace::from_config(settings) {
        Ok(Some(market)) => market,
        Ok(None) => return,
        Err(error) => return lines.fail(2, CheckText::KeyFile, format!("{error:#}"), CheckText::KeyFileBad),
    };
    let auth = market.client.authenticator();
    match auth.probe().await {
        Ok(Some((lifetime, renewed))) => {
            let endpoint = auth.token_endpoint().unwrap_or_default().to_string();
            let minutes = (lifetime / 60).to_string();
            let detail = lines.f(CheckText::TokenIssued, &[("endpoint", &endpoint), ("minutes", &minutes)]);
            lines.pass(2, CheckText::Token, detail);
            match renewed {
                Some(Ok(())) => {
                    let detail = lines.t(CheckText::Refreshed);
                    lines.pass(2, CheckText::Refresh, detail);
                }
                Some(Err(error)) => lines.fail(2, CheckText::Refresh, error, CheckText::RefreshRefused),
                None => {
                    let detail = lines.t(CheckText::NoRefresh);
                    lines.add(2, CheckText::Refresh, CheckOutcome::Warn, detail, None);
                }
            }
        }
        Ok(None) => {}
        Err(error) => {
            lines.fail(2, CheckText::Token, error.to_string(), CheckText::TokenRefused);
            lines.skip(3, CheckText::Subscriptions);
            return keys(&market, lines).await;
        }
    }
    subscriptions(&market, &project.to_string(), db, lines).await;
    keys(&market, lines).await;
}

/// Pages of subscriptions the check counts at most (the rest would only take time).
const MAX_PAGES: usize = 50;

/// Step 3: every subscription of the vendor project, counted by state and product, beside the
/// products Orderdesk knows.
async fn subscriptions(market: &Marketplace, project: &str, db: &Database, lines: &mut Lines) {
    let mut states: BTreeMap<String, usize> = BTreeMap::new();
    let mut products: BTreeMap<String, String> = BTreeMap::new();
    let mut pager = market.client.pager(&ListFilter { product_id: None, include_expired: true });
    let mut total = 0_usize;
    let mut pages = 0;
    let capped = loop {
        if pages == MAX_PAGES {
            break true;
        }
        pages += 1;
        match pager.next_page().await {
            Ok(Some(page)) => {
                for subscription in page {
                    total += 1;
                    *states.entry(subscription.lifecycle_state_raw.clone()).or_default() += 1;
                    products.insert(
                        subscription.product.product_id.clone(),
                        subscription.product.product_name.clone(),
                    );
                }
            }
            Ok(None) => break false,
            Err(error) if error.status() == Some(403) => {
                let advice = lines.f(CheckText::NoAccess, &[("project", project)]);
                lines.add_advised(
                    3,
                    CheckText::Subscriptions,
                    CheckOutcome::Fail,
                    error.to_string(),
                    Some(advice),
                );
                return;
            }
            Err(error) => {
                return lines.fail(3, CheckText::Subscriptions, error.to_string(), CheckText::Unreachable);
            }
        }
    };
    let counted: Vec<String> = states.iter().map(|(state, n)| format!("{n} {state}")).collect();
    let n =
        if capped { lines.f(CheckText::AtLeast, &[("n", &total.to_string())]) } else { total.to_string() };
    let detail = lines.f(CheckText::SubscriptionsFound, &[("n", &n), ("states", &counted.join(", "))]);
    lines.pass(3, CheckText::Subscriptions, detail);

    let ours = match crate::db::setup::products(db.pool()).await {
        Ok(ours) => ours,
        Err(error) => {
            return lines.fail(3, CheckText::Products, error.to_string(), CheckText::DatabaseNotReady);
        }
    };
    let none = lines.t(CheckText::None_);
    let list = |names: Vec<String>| if names.is_empty() { none.clone() } else { names.join(", ") };
    let at_stackit = list(products.iter().map(|(id, name)| format!("{name} ({id})")).collect());
    let in_orderdesk = list(ours.iter().map(|p| format!("{} ({})", p.display_name, p.product_id)).collect());
    let mut detail = lines.f(CheckText::ProductsFound, &[("stackit", &at_stackit), ("ours", &in_orderdesk)]);
    let missing: Vec<&str> =
        products.keys().filter(|id| !ours.iter().any(|p| &p.product_id == *id)).map(String::as_str).collect();
    if !missing.is_empty() {
        detail.push_str(&lines.f(CheckText::ProductsMissing, &[("names", &missing.join(", "))]));
    }
    let unknown: Vec<String> =
        ours.iter().filter(|p| !products.contains_key(&p.product_id)).map(|p| p.product_id.clone()).collect();
    if unknown.is_empty() {
        lines.pass(3, CheckText::Products, detail);
    } else {
        let advice = lines.f(CheckText::ProductsUnknown, &[("names", &unknown.join(", "))]);
        lines.add_advised(3, CheckText::Products, CheckOutcome::Warn, detail, Some(advice));
    }
}

/// Step 4, first half: the key map of the sign-up tokens answers with usable RSA keys.
async fn keys(market: &Marketplace, lines: &mut Lines) {
    let url = market.verifier.keys_url().to_string();
    match market.verifier.probe_keys().await {
        Ok(n) if n > 0 => {
            let detail = lines.f(CheckText::KeysFound, &[("n", &n.to_string()), ("url", &url)]);
            lines.pass(4, CheckText::RedirectKeys, detail);
        }
        Ok(_) => {
            let detail = lines.f(CheckText::KeysFound, &[("n", "0"), ("url", &url)]);
            lines.fail(4, CheckText::RedirectKeys, detail, CheckText::KeysBad);
        }
        Err(error) => lines.fail(4, CheckText::RedirectKeys, error.to_string(), CheckText::KeysBad),
    }
}

/// The keys alone, when the key file keeps the Marketplace client from being built.
async fn keys_only(settings: &crate::marketplace::settings::StackitConfig, lines: &mut Lines) {
    let mut unkeyed = settings.clone();
    unkeyed.stackit_service_account_key_path = None;
    unkeyed.stackit_access_token = Some(secrecy::SecretString::from("unused".to_string()));
    match Marketplace::from_config(&unkeyed) {
        Ok(Some(market)) => keys(&market, lines).await,
        _ => lines.skip(4, CheckText::RedirectKeys),
    }
}

/// Step 4, second half: the sign-up URL to register with STACKIT, fetched from here.
pub(super) async fn signup_url(config: &Config, lines: &mut Lines) {
    let Some(public) = config.public_url.as_deref() else {
        let detail = lines.t(CheckText::NeedsPublicUrl);
        return lines.add(4, CheckText::SignupUrl, CheckOutcome::Skipped, detail, None);
    };
    let url = format!("{}{}", public.trim_end_matches('/'), config.signup_path);
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build();
    let answer = match client {
        Ok(client) => client.get(&url).send().await.map(|r| r.status().as_u16()).map_err(|e| e.to_string()),
        Err(error) => Err(error.to_string()),
    };
    match answer {
        // Orderdesk's sign-up page answers itself: not a redirect elsewhere, not a 404.
        Ok(status) if status < 500 && status != 404 && !(300..400).contains(&status) => {
            let detail = lines.f(CheckText::SignupAnswers, &[("url", &url), ("status", &status.to_string())]);
            lines.pass(4, CheckText::SignupUrl, detail);
        }
        Ok(status) => {
            let advice = lines.f(CheckText::SignupUnreachable, &[("url", &url)]);
            lines.add_advised(
                4,
                CheckText::SignupUrl,
                CheckOutcome::Fail,
                format!("HTTP {status}"),
                Some(advice),
            );
        }
        Err(error) => {
            let advice = lines.f(CheckText::SignupUnreachable, &[("url", &url)]);
            lines.add_advised(4, CheckText::SignupUrl, CheckOutcome::Fail, error, Some(advice));
        }
    }
}
