//! Wire types shared by the server and the browser.

mod check;
mod customer;
mod dashboard;
mod email;
mod event;
mod lifecycle_state;
mod operator;
mod orders;
mod settings;

pub use check::{CheckLine, CheckOutcome, CheckReport};
pub use customer::{
    Customer, CustomerPhase, CustomerStatus, CustomerStep, CustomerSubscription, DocPage, InviteInfo,
    SignupInfo, Team, TeamMember,
};
pub use dashboard::{ApprovalTimes, Dashboard, WeekCount, approval_times_counted, week_start};
pub use email::{EmailAddress, NotAnEmail};
pub use event::{Actor, DecisionState, EventKind};
pub use lifecycle_state::{LifecycleState, StateCount};
pub use operator::{ApiToken, ApiTokens, Operator, OperatorAccount, Role};
pub use orders::{
    AuditEntry, AuditFilter, DUE_SOON_MS, DecisionPhase, DecisionStatus, EmailSource, InboxPage, InboxQuery,
    InboxRow, Live, Neighbours, Note, OrderDetail, QuickViews, Step, TimelineEntry, Total,
};
pub use settings::{
    CapturedMail, CustomerWording, FailedJob, Outbox, ProductSettings, Settings, StackitInfo, TemplateStep,
    WebhookDelivery, Wording, step_key,
};
