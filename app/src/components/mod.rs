//! Reusable components, one per file.

pub mod app_layout;
pub mod approvals_chart;
pub mod checklist;
pub mod deadline;
pub mod error_view;
pub mod hydration_marker;
pub mod order_actions;
pub mod state_badge;
pub mod state_table;
pub mod sync_button;
pub mod time_text;
pub mod user_menu;
