//! Two applications on one database share the scheduled work without doubling any of it.

use std::time::Duration;

use crate::support::orders::LIVE;
use crate::support::{Backend, TestApp, TestDatabase, place_order, test_config, vendor_client};
use app::model::Role;
use server::jobs::sync::run_once;
use server::marketplace::simulator::SimulatorHandle;

on_both_databases!(two_replicas_share_the_work_without_doubling_it,);

async fn start_replica(database: &TestDatabase, sim: &SimulatorHandle) -> String {
    let mut config = test_config(database, &["--pending-poll-secs", "1"]);
    let key_path = database.folder.path().join("vendor-key.json");
    std::fs::write(&key_path, sim.service_account_key_json()).unwrap();
    config.stackit.stackit_api_url = sim.base_url().to_string();
    config.stackit.stackit_vendor_project_id = Some(sim.vendor_project_id().parse().unwrap());
    config.stackit.stackit_service_account_key_path = Some(key_path);
    config.sync_interval_secs = 86_400;
    let app = server::startup::Application::build(config).await.unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    address
}

async fn two_replicas_share_the_work_without_doubling_it(backend: Backend) {
    let (first, sim) = TestApp::spawn_with_stackit_and(backend, &["--pending-poll-secs", "1"]).await;
    let second = start_replica(&first.database, &sim).await;
    let ids: Vec<String> = (0..8).map(|_| place_order(&sim, LIVE.0, LIVE.1, None)).collect();
    run_once(&vendor_client(&sim), &first.db).await.unwrap();

    // Each order approved through both replicas at once: one call each reaches STACKIT.
    let (email, password) = first.operator(Role::Operator).await;
    let mut calls = Vec::new();
    for base in [first.address.clone(), second.clone()] {
        let http = crate::support::cookie_client();
        let signed = http
            .post(format!("{base}/api/login"))
            .header("accept", "application/json")
            .form(&[("email", email.as_str()), ("password", password.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(signed.status(), 200);
        for id in &ids {
            let (http, url, id) = (http.clone(), format!("{base}/api/approve_order"), id.clone());
            calls.push(tokio::spawn(async move {
                let form = [("subscription_id", id.as_str())];
                http.post(url).header("accept", "application/json").form(&form).send().await.unwrap().status()
            }));
        }
    }
    let mut ok = 0;
    for call in calls {
        ok += usize::from(call.await.unwrap() == 200);
    }
    assert_eq!(ok, ids.len(), "one of the two clicks on each order wins");
    for id in &ids {
        assert_eq!(sim.state().get(id).unwrap().approve_calls, 1);
    }

    // The pending poll runs about once a second across both replicas, never twice at once.
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    let runs = server::db::leases::runs(first.db.pool(), "pending").await.unwrap();
    let finished: Vec<_> = runs.iter().filter(|r| r.finished_at_ms.is_some()).collect();
    assert!(finished.len() >= 3 && runs.len() <= 7, "{} runs in 4.5 s by two replicas", runs.len());
    for pair in finished.windows(2) {
        assert!(pair[1].started_at_ms >= pair[0].finished_at_ms.unwrap(), "runs never overlap: {pair:?}");
    }
}
