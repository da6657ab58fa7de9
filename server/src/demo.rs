//! Demo mode: Orderdesk with the STACKIT Marketplace simulator embedded, seeded with realistic
//! orders, so a newcomer sees it working on one machine with nothing else installed.

use anyhow::Context;

use crate::config::Config;
use crate::marketplace::simulator::{Simulator, SimulatorHandle, SimulatorSettings};

/// Orders the embedded simulator starts with.
const DEMO_SUBSCRIPTIONS: usize = 40;

/// Starts the simulator on a free loopback port and points `config` at it: API URL, vendor
/// project, a service-account key file in the data folder, and the redirect-token keys.
pub async fn embed_simulator(config: &mut Config) -> anyhow::Result<SimulatorHandle> {
    let settings = SimulatorSettings {
        listen: config.demo_simulator_listen,
        vendor_project_id: "6b1e4c2a-7d3f-4e8a-9b5c-0a1d2e3f4a5b".into(),
        seed_subscriptions: DEMO_SUBSCRIPTIONS,
        seed: 2026,
        signup_url: format!("http://{}{}", config.listen, config.signup_path),
        record_exchanges: false,
        access_token_secs: 3_600,
    };
    let simulator = Simulator::build(settings).await?.spawn();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating ORDERDESK_DATA_DIR={}", config.data_dir.display()))?;
    let key_path = config.data_dir.join("demo-vendor-key.json");
    std::fs::write(&key_path, simulator.service_account_key_json())
        .with_context(|| format!("writing the demo key file {}", key_path.display()))?;

    let stackit = &mut config.stackit;
    stackit.stackit_api_url = simulator.base_url().to_string();
    stackit.stackit_vendor_project_id = Some(simulator.vendor_project_id().parse()?);
    stackit.stackit_service_account_key_path = Some(key_path);
    stackit.stackit_access_token = None;
    stackit.stackit_token_endpoint = None;
    stackit.stackit_redirect_keys_url = simulator.keys_url();
    stackit.stackit_redirect_issuer = simulator.keys_url();
    tracing::info!(url = %simulator.base_url(), "demo: STACKIT Marketplace simulator embedded");
    Ok(simulator)
}

/// The demo's accounts, one per role, all with `password`: created on the first start, their
/// passwords reset on every start so the printed ones always work.
pub async fn ensure_demo_accounts(
    db: &crate::db::Database,
    password: &str,
) -> anyhow::Result<Vec<(String, app::model::Role)>> {
    use app::model::Role;
    let accounts = [
        ("admin@demo.example", "Ada Admin", Role::Admin),
        ("operator@demo.example", "Otto Operator", Role::Operator),
        ("viewer@demo.example", "Vera Viewer", Role::Viewer),
    ];
    let hash = crate::accounts::passwords::hash(password).await?;
    let mut created = Vec::new();
    for (email, name, role) in accounts {
        match crate::db::operators::by_email(db.pool(), email).await? {
            Some(existing) => crate::db::operators::set_password(db.pool(), &existing.id, &hash).await?,
            None => {
                crate::db::operators::insert(
                    db.pool(),
                    email,
                    name,
                    role.as_str(),
                    crate::db::operators::NewLogin::Password(&hash),
                )
                .await?;
            }
        }
        created.push((email.to_string(), role));
    }
    Ok(created)
}
