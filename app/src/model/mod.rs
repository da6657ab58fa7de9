//! Wire types shared by the server and the browser.

mod lifecycle_state;
mod operator;

pub use lifecycle_state::{LifecycleState, StateCount};
pub use operator::{Operator, Role};
