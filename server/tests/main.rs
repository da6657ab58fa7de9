//! The integration tests, as one test binary: each module below was a binary of its own, and each
//! linked the whole application again (about 240 MB apiece in a debug build). One binary links once,
//! which keeps a cold CI run's disk use and link time down. Run a part with a filter, e.g.
//! `cargo test -p server --test integration lifecycle::`.

#[macro_use]
mod support;

mod accounts;
mod api;
mod api_contract;
mod api_script;
mod api_token_admin;
mod architecture;
mod bulk_load;
mod crash;
mod customer_accounts;
mod customers;
mod database;
mod decisions;
mod exhaustion;
mod forms;
mod http;
mod inbox_views;
mod language;
mod lifecycle;
mod live;
mod mailing;
mod malformed;
mod marketplace;
mod marketplace_faults;
mod migrations;
mod observability;
mod orders;
mod pending_poll;
mod plan_changes;
mod replicas;
mod search;
mod security;
mod settings;
mod setup_check;
mod startup;
mod sync;
mod tallies;
