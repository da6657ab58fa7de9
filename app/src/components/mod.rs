//! Reusable components, one per file.

pub mod app_layout;
pub mod error_view;
pub mod state_badge;
