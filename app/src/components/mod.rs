//! Reusable components, one per file.

pub mod app_layout;
pub mod error_view;
pub mod hydration_marker;
pub mod state_badge;
pub mod state_table;
pub mod user_menu;
