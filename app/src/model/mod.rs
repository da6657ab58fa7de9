//! Wire types shared by the server and the browser.

mod lifecycle_state;

pub use lifecycle_state::{LifecycleState, StateCount};
