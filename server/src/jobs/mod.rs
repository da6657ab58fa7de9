//! Background work, each piece a `run_once` that tests call directly and a scheduler repeats.

pub mod reminders;
pub mod runner;
pub mod schedule;
pub mod search_index;
pub mod sync;
