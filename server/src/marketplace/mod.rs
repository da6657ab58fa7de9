//! Everything that crosses the boundary to STACKIT's Marketplace: the Vendor API client and its
//! authentication, redirect-token verification, and a simulator of STACKIT's side.

pub mod auth;
pub mod client;
pub mod connection;
pub mod duration;
pub mod error;
pub mod model;
pub mod redirect_token;
pub mod settings;
pub mod simulator;
