//! Orderdesk's server: configuration, HTTP application, database, STACKIT integration and jobs.
//! `main.rs` is thin; tests build the same [`startup::Application`] the binary runs.

// Linked into every binary of this crate, tests included: `db` calls mimalloc's own API to give
// freed memory back (the binary also makes it the global allocator).
extern crate mimalloc;

pub mod accounts;
pub mod api_v1;
pub mod check;
pub mod clock;
pub mod config;
pub mod customers;
pub mod db;
pub mod demo;
pub mod docs;
pub mod error_status;
pub mod export;
pub mod health;
pub mod jobs;
pub mod mail;
pub mod marketplace;
pub mod measurements;
pub mod metrics;
pub mod orders;
pub mod ports;
pub mod security;
pub mod startup;
pub mod telemetry;
pub mod webhooks;
