//! Start-up behaviour: port 0, the default SQLite database, and refusal of bad settings.

use crate::support::{Backend, TestDatabase, test_config};
use server::config::DatabaseUrl;
use server::startup::Application;

#[tokio::test]
async fn the_default_database_is_sqlite_created_in_the_data_folder() {
    let database = TestDatabase::create(Backend::Sqlite).await;
    let mut config = test_config(&database, &[]);
    config.database_url = None;
    config.data_dir = database.folder.path().join("fresh").join("data");
    let app = Application::build(config).await.unwrap();
    assert_ne!(app.port(), 0, "port 0 became a real port");
    assert!(database.folder.path().join("fresh/data/orderdesk.db").is_file());
    assert!(app.database().is_ready().await);
}

#[tokio::test]
async fn an_unreachable_database_stops_start_up_with_a_clear_message() {
    let database = TestDatabase::create(Backend::Sqlite).await;
    let mut config = test_config(&database, &[]);
    config.database_url =
        Some(DatabaseUrl::parse("postgres://orderdesk:secret@127.0.0.1:1/orderdesk").unwrap());
    let error = match Application::build(config).await {
        Ok(_) => panic!("started without a database"),
        Err(error) => format!("{error:#}"),
    };
    assert!(
        error.contains("connecting to the database postgres://127.0.0.1:1/orderdesk")
            && !error.contains("secret"),
        "{error}"
    );
    assert!(!error.contains("secret"), "{error}");
}

#[tokio::test]
async fn a_port_in_use_stops_start_up_naming_the_setting() {
    let database = TestDatabase::create(Backend::Sqlite).await;
    let first = Application::build(test_config(&database, &[])).await.unwrap();
    let mut config = test_config(&database, &[]);
    config.listen = first.address().unwrap();
    let error = match Application::build(config).await {
        Ok(_) => panic!("two applications on one port"),
        Err(error) => format!("{error:#}"),
    };
    assert!(error.contains("ORDERDESK_LISTEN"), "{error}");
}
