//! Demo data: the vendor's products, and realistic subscriptions in every lifecycle state.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::state::{Plan, Product, SimState};
use crate::marketplace::model::{PriceType, ProductState};

/// The products a fresh simulator sells: two live, one in preview, with approval windows from
/// one week to the SaaS async. maximum of 30 days.
pub fn demo_products() -> Vec<Product> {
    let plan = |id: &str, vendor: &str, name: &str, price: PriceType, rate: &str| Plan {
        plan_id: id.into(),
        vendor_plan_id: vendor.into(),
        pricing_plan: name.into(),
        price_type: price,
        rate: rate.into(),
        validity_period: "P1M".into(),
        notice_period: "2592000s".into(),
    };
    vec![
        Product {
            product_id: "datavault-1a2b3c4d".into(),
            name: "DataVault Managed Backup".into(),
            vendor_product_id: "datavault".into(),
            state: ProductState::Live,
            approval_window_secs: 14 * 86_400,
            plans: vec![
                plan("dv-starter-5e6f7a8b", "dv-starter", "Starter, 1 TB", PriceType::Contract, "149,00€"),
                plan(
                    "dv-business-9c0d1e2f",
                    "dv-business",
                    "Business, 10 TB",
                    PriceType::Contract,
                    "990,00€",
                ),
            ],
        },
        Product {
            product_id: "mailguard-3b4c5d6e".into(),
            name: "MailGuard Secure Gateway".into(),
            vendor_product_id: "mailguard".into(),
            state: ProductState::Live,
            approval_window_secs: 7 * 86_400,
            plans: vec![plan("mg-team-7f8a9b0c", "mg-team", "Team, per mailbox", PriceType::Payg, "2,90€")],
        },
        Product {
            product_id: "insight-0a1b2c3d".into(),
            name: "Insight Analytics (Preview)".into(),
            vendor_product_id: "insight".into(),
            state: ProductState::Preview,
            approval_window_secs: 30 * 86_400,
            plans: vec![plan(
                "in-trial-4d5e6f7a",
                "in-trial",
                "Preview trial",
                PriceType::FreeTrial,
                "0,00€",
            )],
        },
    ]
}

const COMPANIES: &[&str] = &[
    "nordwind-logistik",
    "alpenblick-versicherung",
    "rheintal-energie",
    "hanse-handel",
    "spree-media",
    "elbe-bau",
    "isar-health",
    "main-finanz",
    "weser-werke",
    "bodensee-tourismus",
    "harz-maschinen",
    "ruhr-chemie",
    "mosel-weine",
    "ostsee-reederei",
    "schwarzwald-holz",
    "taunus-software",
];
const MAILBOXES: &[&str] = &["it-ops", "cloud-team", "procurement", "admin", "platform", "infra"];

/// Adds `count` subscriptions spread over every state: mostly active, a fair share pending
/// (some close to their deadline), and the rest suspended, cancelling, cancelled, rejected or
/// timed out. The same `seed` gives the same mix.
pub fn seed_subscriptions(state: &mut SimState, count: usize, seed: u64) {
    if state.products.is_empty() {
        for product in demo_products() {
            let _ = state.upsert_product(product);
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let now = state.now_ms();
    // A demo needs work to do: a few fresh pending orders with a contact e-mail for every product.
    let per_product = if count >= 20 { 3 } else { 0 };
    let products = state.products.clone();
    for product in &products {
        for n in 0..per_product {
            let project = uuid_from(&mut rng);
            let company = COMPANIES[rng.random_range(0..COMPANIES.len())];
            let email = format!("{}@{company}.example", MAILBOXES[n % MAILBOXES.len()]);
            let ordered_at = now - rng.random_range(3_600_000..2 * 86_400_000);
            let _ = state.at_time(ordered_at, |s| {
                s.create(&project, &product.product_id, &product.plans[0].plan_id, Some(&email), ordered_at)
                    .map(drop)
            });
        }
    }
    for _ in 0..count.saturating_sub(per_product * products.len()) {
        let product = state.products[rng.random_range(0..state.products.len())].clone();
        let plan = &product.plans[rng.random_range(0..product.plans.len())];
        let project = uuid_from(&mut rng);
        let company = COMPANIES[rng.random_range(0..COMPANIES.len())];
        let email = format!("{}@{company}.example", MAILBOXES[rng.random_range(0..MAILBOXES.len())]);
        let roll = rng.random_range(0..100);
        let window_ms = product.approval_window_secs * 1000;
        // Pending orders are younger than their window; timed-out ones older.
        let ordered_at = if roll < 20 {
            now - rng.random_range(0..window_ms.max(1))
        } else if roll >= 95 {
            now - window_ms - rng.random_range(1..10 * 86_400_000)
        } else {
            now - rng.random_range(window_ms.min(86_400_000)..120 * 86_400_000)
        };
        let email = (rng.random_range(0..10) < 8).then_some(email);
        let created = state.at_time(ordered_at, |state| {
            state
                .create(&project, &product.product_id, &plan.plan_id, email.as_deref(), ordered_at)
                .map(|s| s.subscription_id.clone())
        });
        let Ok(id) = created else { continue };
        // The vendor acts within the window; the customer or STACKIT acts some time later.
        let acted_at = ordered_at + rng.random_range(3_600_000..window_ms.clamp(3_600_001, 86_400_000));
        let later = (acted_at + rng.random_range(86_400_000..60 * 86_400_000)).min(now);
        let instance = format!("https://{company}.{}.example", product.vendor_product_id);
        let _ = match roll {
            0..20 | 95.. => Ok(()),
            20..70 => state.at_time(acted_at, |s| s.approve(&id, Some(instance))),
            70..76 => state
                .at_time(acted_at, |s| s.approve(&id, None))
                .and_then(|()| state.at_time(later, |s| s.set_suspended(&id, true))),
            76..84 => state
                .at_time(acted_at, |s| s.approve(&id, None))
                .and_then(|()| state.at_time(now, |s| s.cancel(&id))),
            84..92 => state
                .at_time(acted_at, |s| s.approve(&id, None))
                .and_then(|()| state.at_time(later, |s| s.terminate(&id))),
            _ if product.state == ProductState::Preview => state.at_time(acted_at, |s| s.reject(&id)),
            _ => state.at_time(acted_at, |s| s.cancel(&id)),
        };
    }
    state.tick();
}

/// A lowercase v4 UUID from the seeded generator, so seeded data is reproducible.
fn uuid_from(rng: &mut ChaCha8Rng) -> String {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::LifecycleState;

    #[test]
    fn seeding_covers_every_state_and_is_reproducible() {
        let mut first = SimState::new("v".into());
        seed_subscriptions(&mut first, 400, 7);
        let states: std::collections::HashSet<_> =
            first.subscriptions.iter().map(|s| s.wire.state()).collect();
        let known = LifecycleState::ALL
            .into_iter()
            .filter(|s| !matches!(s, LifecycleState::Unspecified | LifecycleState::Unknown));
        for state in known {
            assert!(states.contains(&state), "{state:?} missing");
        }
        let mut second = SimState::new("v".into());
        seed_subscriptions(&mut second, 400, 7);
        let projects =
            |s: &SimState| s.subscriptions.iter().map(|s| s.wire.project_id.clone()).collect::<Vec<_>>();
        assert_eq!(projects(&first), projects(&second));
    }
}
