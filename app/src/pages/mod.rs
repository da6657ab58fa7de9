//! Routed pages, one per file.

pub mod account_page;
pub mod api_tokens_page;
pub mod audit_page;
pub mod confirm_signup_page;
pub mod customer_login_page;
pub mod docs_page;
pub mod home_page;
pub mod inbox_page;
pub mod invite_page;
pub mod login_page;
pub mod my_subscriptions_page;
pub mod not_found_page;
pub mod operators_page;
pub mod order_page;
pub mod outbox_page;
pub mod password_reset_page;
pub mod settings_page;
pub mod setup_check_page;
pub mod setup_page;
pub mod signup_page;
pub mod subscription_status_page;
pub mod verify_page;
pub mod welcome_page;
