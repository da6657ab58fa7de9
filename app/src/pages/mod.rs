//! Routed pages, one per file.

pub mod home_page;
pub mod not_found_page;
