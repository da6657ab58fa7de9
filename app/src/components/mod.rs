//! Reusable components, one per file.

pub mod app_layout;
pub mod approvals_chart;
pub mod checklist;
pub mod copy_button;
pub mod customer_layout;
pub mod deadline;
pub mod error_view;
pub mod flash;
pub mod form_field;
pub mod hydration_marker;
pub mod in_place;
pub mod inbox_views;
pub mod language_switch;
pub mod live;
pub mod order_actions;
pub mod password_repeat;
pub mod phase_badge;
pub mod shortcuts;
pub mod state_badge;
pub mod state_table;
pub mod sync_button;
pub mod team_section;
pub mod user_menu;
