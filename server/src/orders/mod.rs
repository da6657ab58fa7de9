//! Orders as a service: how STACKIT's view becomes rows ([`reconcile`]). The decisions, the
//! checklist, the timeline and the dashboard still live in `console/` (issue 13 moves them here).

pub mod decisions;
pub mod reconcile;
