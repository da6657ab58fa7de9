//! Wire types shared by the server and the browser.

mod lifecycle_state;
mod operator;
mod orders;

pub use lifecycle_state::{LifecycleState, StateCount};
pub use operator::{Operator, Role};
pub use orders::{EmailSource, InboxPage, InboxQuery, InboxRow, Note, OrderDetail, Step, TimelineEntry};
