//! Server functions, one file per area. Under `ssr` they reach the server's data through the
//! ports declared in [`ports`], which the `server` crate implements and provides as context.

pub mod api_tokens;
pub mod audit;
pub mod auth;
pub mod customers;
pub mod dashboard;
pub mod docs;
pub mod invites;
pub mod operators;
pub mod orders;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod preferences;
#[cfg(feature = "ssr")]
pub mod session;
pub mod settings;
