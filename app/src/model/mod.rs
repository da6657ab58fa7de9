//! Wire types shared by the server and the browser.

mod dashboard;
mod lifecycle_state;
mod operator;
mod orders;

pub use dashboard::{ApprovalTimes, Dashboard, WeekCount, approval_times, week_start};
pub use lifecycle_state::{LifecycleState, StateCount};
pub use operator::{Operator, OperatorAccount, Role};
pub use orders::{
    AuditEntry, AuditFilter, EmailSource, InboxPage, InboxQuery, InboxRow, Note, OrderDetail, Step,
    TimelineEntry,
};
