//! Orders as a service, between `db/` and the web edge: how STACKIT's view becomes rows
//! ([`reconcile`], the one path used by the sync, *Sync now* and the sign-up; [`order_row`] maps
//! one subscription and says which fields are STACKIT's), decisions sent to
//! STACKIT exactly once ([`decisions`]), the inbox's lines and page links ([`inbox`]), the
//! overview's figures ([`overview`]) and an order's history in words ([`timeline`]).

pub mod decisions;
pub mod inbox;
mod order_row;
pub mod overview;
pub mod reconcile;
pub mod timeline;
