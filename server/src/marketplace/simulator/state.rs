//! The simulated Marketplace: products, subscriptions and their lifecycle on a clock that tests
//! can advance. Everything here is synchronous and in memory; the handlers lock it briefly.

use std::collections::{BTreeSet, HashMap};

use app::model::LifecycleState;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::StatusCode;

use crate::marketplace::duration::WireDuration;
use crate::marketplace::model::{DeliveryMethod, PriceType, ProductState, Subscription, SubscriptionProduct};

/// A failed simulator call: becomes an `ErrorResponse` body with the request's path.
#[derive(Debug, Clone)]
pub struct SimError {
    pub status: StatusCode,
    pub message: String,
}

impl SimError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        SimError { status, message: message.into() }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
}

/// A product the vendor sells, with its plans.
#[derive(Debug, Clone)]
pub struct Product {
    pub product_id: String,
    pub name: String,
    pub vendor_product_id: String,
    pub state: ProductState,
    /// How long an order may stay pending before it times out (at most 30 days).
    pub approval_window_secs: i64,
    pub plans: Vec<Plan>,
}

/// One plan (price option) of a product.
#[derive(Debug, Clone)]
pub struct Plan {
    pub plan_id: String,
    pub vendor_plan_id: String,
    pub pricing_plan: String,
    pub price_type: PriceType,
    pub rate: String,
    pub validity_period: String,
    pub notice_period: String,
}

/// A subscription and what the simulator counts about it.
#[derive(Debug, Clone)]
pub struct SimSubscription {
    pub wire: Subscription,
    pub ordered_at_ms: i64,
    /// ApproveSubscription calls received for it, successful or not.
    pub approve_calls: u32,
    pub reject_calls: u32,
    pub instance_target: Option<String>,
    /// Left out of every listing while `get` still finds it: a listing that lags behind, as
    /// the sync must expect (tests set it).
    pub unlisted: bool,
}

/// Which subscriptions a listing shows.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub organization_id: Option<String>,
    pub project_id: Option<String>,
    pub product_id: Option<String>,
    pub include_expired: bool,
}

/// The whole simulated Marketplace.
pub struct SimState {
    pub vendor_project_id: String,
    pub vendor_name: String,
    pub vendor_website_url: String,
    pub products: Vec<Product>,
    pub subscriptions: Vec<SimSubscription>,
    by_id: HashMap<String, usize>,
    /// (when, index): pending time-outs and cancellations that end.
    deadlines: BTreeSet<(i64, usize)>,
    /// (customer project, product) → its subscriptions, for the one-live-order rule.
    by_project_product: HashMap<(String, String), Vec<usize>>,
    /// Customer project → its organisation.
    project_orgs: HashMap<String, String>,
    clock_offset_ms: i64,
}

pub const MAX_APPROVAL_WINDOW_SECS: i64 = 30 * 86_400;

impl SimState {
    pub fn new(vendor_project_id: String) -> Self {
        SimState {
            vendor_project_id,
            vendor_name: "Example Vendor GmbH".into(),
            vendor_website_url: "https://vendor.example".into(),
            products: Vec::new(),
            subscriptions: Vec::new(),
            by_id: HashMap::new(),
            deadlines: BTreeSet::new(),
            by_project_product: HashMap::new(),
            project_orgs: HashMap::new(),
            clock_offset_ms: 0,
        }
    }

    /// The simulated time, in milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        crate::clock::now_ms() + self.clock_offset_ms
    }

    /// Moves the clock forward and applies what became due.
    pub fn advance_clock(&mut self, seconds: i64) {
        self.clock_offset_ms = self.clock_offset_ms.saturating_add(seconds.max(0).saturating_mul(1000));
        self.tick();
    }

    /// Runs `f` with the clock set to `at_ms`, then sets it back (for seeding a history).
    pub fn at_time<T>(&mut self, at_ms: i64, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = self.clock_offset_ms;
        self.clock_offset_ms = at_ms - crate::clock::now_ms();
        let result = f(self);
        self.clock_offset_ms = saved;
        result
    }

    /// Applies every time-out and end of cancellation that is due.
    pub fn tick(&mut self) {
        let now = self.now_ms();
        while let Some(&(when, index)) = self.deadlines.first() {
            if when > now {
                break;
            }
            self.deadlines.pop_first();
            let subscription = &mut self.subscriptions[index].wire;
            match subscription.state() {
                LifecycleState::Pending => subscription.set_state(LifecycleState::ApprovalTimedOut),
                LifecycleState::Cancelling => {
                    subscription.set_state(LifecycleState::Cancelled);
                    subscription.valid_until = Some(rfc3339(when));
                }
                _ => {}
            }
        }
    }

    /// Adds or replaces a product (by `product_id`).
    pub fn upsert_product(&mut self, product: Product) -> Result<(), SimError> {
        if !(1..=MAX_APPROVAL_WINDOW_SECS).contains(&product.approval_window_secs) {
            return Err(SimError::bad_request("approvalWindowSecs must be between 1 second and 30 days"));
        }
        if product.plans.is_empty() {
            return Err(SimError::bad_request("a product needs at least one plan"));
        }
        match self.products.iter_mut().find(|p| p.product_id == product.product_id) {
            Some(existing) => *existing = product,
            None => self.products.push(product),
        }
        Ok(())
    }

    /// The organisation of a customer project (one is made up on first sight).
    pub fn organization_of(&mut self, project_id: &str) -> String {
        self.project_orgs
            .entry(project_id.to_string())
            .or_insert_with(|| uuid::Uuid::new_v4().to_string())
            .clone()
    }

    /// Places an order, as the customer does in the portal. One live order per product and project.
    pub fn create(
        &mut self,
        project_id: &str,
        product_id: &str,
        sku: &str,
        email: Option<&str>,
        ordered_at_ms: i64,
    ) -> Result<&Subscription, SimError> {
        let product = self
            .products
            .iter()
            .find(|p| p.product_id == product_id)
            .ok_or_else(|| SimError::bad_request(format!("product {product_id} does not exist")))?
            .clone();
        let plan = product
            .plans
            .iter()
            .find(|p| p.plan_id == sku || p.vendor_plan_id == sku)
            .ok_or_else(|| SimError::bad_request(format!("product {product_id} has no plan {sku}")))?
            .clone();
        let key = (project_id.to_string(), product_id.to_string());
        let taken = self.by_project_product.get(&key).is_some_and(|indexes| {
            indexes.iter().any(|&i| {
                matches!(
                    self.subscriptions[i].wire.state(),
                    LifecycleState::Pending | LifecycleState::Active | LifecycleState::Inactive
                )
            })
        });
        if taken {
            return Err(SimError::new(
                StatusCode::CONFLICT,
                format!("project {project_id} already has a subscription of {product_id}"),
            ));
        }
        let organization_id = self.organization_of(project_id);
        let wire = Subscription {
            subscription_id: uuid::Uuid::new_v4().to_string(),
            organization_id,
            project_id: project_id.to_string(),
            product: SubscriptionProduct {
                product_id: product.product_id.clone(),
                product_name: product.name.clone(),
                plan_id: plan.plan_id.clone(),
                vendor_plan_id: Some(plan.vendor_plan_id.clone()),
                vendor_product_id: Some(product.vendor_product_id.clone()),
                price_type: plan.price_type.clone(),
                pricing_plan: plan.pricing_plan.clone(),
                delivery_method: DeliveryMethod::Saas,
                lifecycle_state: product.state.clone(),
                vendor_name: self.vendor_name.clone(),
                vendor_website_url: self.vendor_website_url.clone(),
                rate: plan.rate.clone(),
                validity_period: WireDuration::parse(&plan.validity_period),
                notice_period: WireDuration::parse(&plan.notice_period),
                assets: None,
            },
            lifecycle_state_raw: LifecycleState::Pending.as_wire().to_string(),
            ordered_at: rfc3339(ordered_at_ms),
            approval_timeout: Some(WireDuration::parse(&format!("{}s", product.approval_window_secs))),
            auto_renewal: Some(true),
            terminates_at: None,
            valid_from: None,
            valid_until: None,
            consumer_notification_email: email.map(str::to_string),
        };
        let index = self.subscriptions.len();
        self.by_id.insert(wire.subscription_id.clone(), index);
        self.by_project_product.entry(key).or_default().push(index);
        self.deadlines.insert((ordered_at_ms + product.approval_window_secs * 1000, index));
        self.subscriptions.push(SimSubscription {
            wire,
            ordered_at_ms,
            approve_calls: 0,
            reject_calls: 0,
            instance_target: None,
            unlisted: false,
        });
        self.tick();
        Ok(&self.subscriptions[index].wire)
    }

    /// A subscription by ID.
    pub fn get(&self, subscription_id: &str) -> Option<&SimSubscription> {
        self.by_id.get(subscription_id).map(|&i| &self.subscriptions[i])
    }

    fn get_mut(&mut self, subscription_id: &str) -> Result<(usize, &mut SimSubscription), SimError> {
        let index = *self
            .by_id
            .get(subscription_id)
            .ok_or_else(|| SimError::not_found(format!("subscription {subscription_id} not found")))?;
        Ok((index, &mut self.subscriptions[index]))
    }

    /// V5: only a pending subscription can be approved.
    pub fn approve(
        &mut self,
        subscription_id: &str,
        instance_target: Option<String>,
    ) -> Result<(), SimError> {
        self.tick();
        let now = self.now_ms();
        let (_, subscription) = self.get_mut(subscription_id)?;
        subscription.approve_calls += 1;
        if subscription.wire.state() != LifecycleState::Pending {
            return Err(SimError::bad_request(format!(
                "subscription {subscription_id} is {}, only SUBSCRIPTION_PENDING can be approved",
                subscription.wire.lifecycle_state_raw.as_str()
            )));
        }
        subscription.wire.set_state(LifecycleState::Active);
        subscription.wire.valid_from = Some(rfc3339(now));
        subscription.instance_target = instance_target;
        Ok(())
    }

    /// V6: only a pending subscription of a preview product can be rejected.
    pub fn reject(&mut self, subscription_id: &str) -> Result<(), SimError> {
        self.tick();
        let (_, subscription) = self.get_mut(subscription_id)?;
        subscription.reject_calls += 1;
        if subscription.wire.product.lifecycle_state != ProductState::Preview {
            return Err(SimError::bad_request(
                "only subscriptions of PRODUCT_PREVIEW products can be rejected",
            ));
        }
        if subscription.wire.state() != LifecycleState::Pending {
            return Err(SimError::bad_request(format!(
                "subscription {subscription_id} is {}, only SUBSCRIPTION_PENDING can be rejected",
                subscription.wire.lifecycle_state_raw.as_str()
            )));
        }
        subscription.wire.set_state(LifecycleState::Rejected);
        Ok(())
    }

    /// The customer cancels: an active subscription runs until the end of its notice period; a
    /// pending order is withdrawn at once.
    pub fn cancel(&mut self, subscription_id: &str) -> Result<(), SimError> {
        self.tick();
        let now = self.now_ms();
        let (index, subscription) = self.get_mut(subscription_id)?;
        let wire = &mut subscription.wire;
        match wire.state() {
            LifecycleState::Pending => {
                wire.set_state(LifecycleState::Cancelled);
                wire.terminates_at = Some(rfc3339(now));
                Ok(())
            }
            LifecycleState::Active | LifecycleState::Inactive => {
                let notice = wire.product.notice_period.seconds.unwrap_or(0);
                let ends = now + notice * 1000;
                wire.set_state(LifecycleState::Cancelling);
                wire.terminates_at = Some(rfc3339(ends));
                self.deadlines.insert((ends, index));
                self.tick();
                Ok(())
            }
            _ => Err(SimError::new(
                StatusCode::CONFLICT,
                format!(
                    "subscription {subscription_id} is {} and cannot be cancelled",
                    wire.lifecycle_state_raw.as_str()
                ),
            )),
        }
    }

    /// The customer ends the subscription now.
    pub fn terminate(&mut self, subscription_id: &str) -> Result<(), SimError> {
        self.tick();
        let now = self.now_ms();
        let (_, subscription) = self.get_mut(subscription_id)?;
        let wire = &mut subscription.wire;
        match wire.state() {
            LifecycleState::Pending
            | LifecycleState::Active
            | LifecycleState::Inactive
            | LifecycleState::Cancelling => {
                wire.set_state(LifecycleState::Cancelled);
                wire.terminates_at = Some(rfc3339(now));
                wire.valid_until = Some(rfc3339(now));
                Ok(())
            }
            _ => Err(SimError::bad_request(format!(
                "subscription {subscription_id} is {} and cannot be terminated",
                wire.lifecycle_state_raw.as_str()
            ))),
        }
    }

    /// STACKIT suspends an active subscription (e.g. unpaid bills), or lifts the suspension.
    pub fn set_suspended(&mut self, subscription_id: &str, suspended: bool) -> Result<(), SimError> {
        self.tick();
        let (_, subscription) = self.get_mut(subscription_id)?;
        let wire = &mut subscription.wire;
        let (from, to) = if suspended {
            (LifecycleState::Active, LifecycleState::Inactive)
        } else {
            (LifecycleState::Inactive, LifecycleState::Active)
        };
        if wire.state() != from {
            return Err(SimError::new(
                StatusCode::CONFLICT,
                format!(
                    "subscription {subscription_id} is {}, not {}",
                    wire.lifecycle_state_raw.as_str(),
                    from.as_wire()
                ),
            ));
        }
        wire.set_state(to);
        Ok(())
    }

    /// One page of a listing, from `cursor`, with the cursor of the next page if there is one.
    pub fn page(
        &mut self,
        listing: &Listing,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<(Vec<Subscription>, Option<String>), SimError> {
        self.tick();
        let start = match cursor.filter(|c| !c.is_empty()) {
            Some(cursor) => {
                decode_cursor(cursor).ok_or_else(|| SimError::bad_request("cursor is not valid"))?
            }
            None => 0,
        };
        let visible = |s: &SimSubscription| {
            !s.unlisted
                && listing.organization_id.as_ref().is_none_or(|o| &s.wire.organization_id == o)
                && listing.project_id.as_ref().is_none_or(|p| &s.wire.project_id == p)
                && listing.product_id.as_ref().is_none_or(|p| &s.wire.product.product_id == p)
                && (listing.include_expired || !s.wire.state().is_expired())
        };
        let mut items = Vec::with_capacity(limit.min(100));
        let mut next = None;
        for (index, subscription) in self.subscriptions.iter().enumerate().skip(start) {
            if !visible(subscription) {
                continue;
            }
            if items.len() == limit {
                next = Some(encode_cursor(index));
                break;
            }
            items.push(subscription.wire.clone());
        }
        Ok((items, next))
    }
}

fn encode_cursor(index: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("sim:{index}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    text.strip_prefix("sim:")?.parse().ok()
}

/// Milliseconds as RFC 3339 UTC, as STACKIT writes timestamps.
pub fn rfc3339(ms: i64) -> String {
    let time = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    time.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_with_product(window_secs: i64, product_state: ProductState) -> SimState {
        let mut state = SimState::new("11111111-1111-4111-8111-111111111111".into());
        state
            .upsert_product(Product {
                product_id: "datavault-1a2b3c4d".into(),
                name: "DataVault".into(),
                vendor_product_id: "datavault".into(),
                state: product_state,
                approval_window_secs: window_secs,
                plans: vec![Plan {
                    plan_id: "business-9f8e7d6c".into(),
                    vendor_plan_id: "dv-business".into(),
                    pricing_plan: "Business".into(),
                    price_type: PriceType::Contract,
                    rate: "490,00€".into(),
                    validity_period: "P1M".into(),
                    notice_period: "P30D".into(),
                }],
            })
            .unwrap();
        state
    }

    fn order(state: &mut SimState, project: &str) -> String {
        let now = state.now_ms();
        state
            .create(project, "datavault-1a2b3c4d", "business-9f8e7d6c", None, now)
            .unwrap()
            .subscription_id
            .clone()
    }

    #[test]
    fn a_pending_order_times_out_when_its_window_passes() {
        let mut state = state_with_product(3_600, ProductState::Live);
        let id = order(&mut state, "p1");
        state.advance_clock(3_599);
        assert_eq!(state.get(&id).unwrap().wire.state(), LifecycleState::Pending);
        state.advance_clock(1);
        assert_eq!(state.get(&id).unwrap().wire.state(), LifecycleState::ApprovalTimedOut);
        assert!(state.approve(&id, None).is_err());
    }

    #[test]
    fn cancelling_ends_in_cancelled_at_terminates_at() {
        let mut state = state_with_product(3_600, ProductState::Live);
        let id = order(&mut state, "p1");
        state.approve(&id, Some("https://x.example".into())).unwrap();
        state.cancel(&id).unwrap();
        assert_eq!(state.get(&id).unwrap().wire.state(), LifecycleState::Cancelling);
        state.advance_clock(30 * 86_400);
        assert_eq!(state.get(&id).unwrap().wire.state(), LifecycleState::Cancelled);
    }

    #[test]
    fn a_second_live_order_of_one_product_in_one_project_conflicts() {
        let mut state = state_with_product(3_600, ProductState::Live);
        let id = order(&mut state, "p1");
        let now = state.now_ms();
        let error = state.create("p1", "datavault-1a2b3c4d", "dv-business", None, now).unwrap_err();
        assert_eq!(error.status, StatusCode::CONFLICT);
        state.cancel(&id).unwrap();
        assert!(state.create("p1", "datavault-1a2b3c4d", "dv-business", None, now).is_ok(), "a plan change");
    }

    #[test]
    fn reject_is_only_for_preview_products() {
        let mut live = state_with_product(3_600, ProductState::Live);
        let id = order(&mut live, "p1");
        assert_eq!(live.reject(&id).unwrap_err().status, StatusCode::BAD_REQUEST);
        let mut preview = state_with_product(3_600, ProductState::Preview);
        let id = order(&mut preview, "p1");
        preview.reject(&id).unwrap();
        assert_eq!(preview.get(&id).unwrap().wire.state(), LifecycleState::Rejected);
    }

    #[test]
    fn pages_follow_the_cursor_and_hide_expired_unless_asked() {
        let mut state = state_with_product(3_600, ProductState::Preview);
        let ids: Vec<String> = (0..5).map(|n| order(&mut state, &format!("p{n}"))).collect();
        state.reject(&ids[2]).unwrap();
        let all = Listing { include_expired: true, ..Listing::default() };
        let (first, cursor) = state.page(&all, None, 2).unwrap();
        let (second, cursor) = state.page(&all, cursor.as_deref(), 2).unwrap();
        let (third, cursor) = state.page(&all, cursor.as_deref(), 2).unwrap();
        assert_eq!((first.len(), second.len(), third.len(), cursor), (2, 2, 1, None));
        let (unexpired, _) = state.page(&Listing::default(), None, 100).unwrap();
        assert_eq!(unexpired.len(), 4);
        assert!(state.page(&all, Some("garbage"), 2).is_err());
    }
}
