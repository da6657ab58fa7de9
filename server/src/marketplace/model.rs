//! The Marketplace API's wire types (spec: `stackit-marketplace.openapi.json`), field names as on
//! the wire. Reading is tolerant: enum values we do not know are kept as `Unknown(raw)`, unknown
//! fields are ignored, and durations are read in any plausible format.

use app::model::LifecycleState;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::duration::WireDuration;

/// Defines a string enum that keeps values it does not know as `Unknown(raw)`.
macro_rules! tolerant_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this version of Orderdesk does not know, exactly as sent.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in the spec's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// Reads a wire value; never fails.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }

            /// The wire value (the raw text for unknown values).
            pub fn as_wire(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(raw) => raw,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_wire())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(match serde_json::Value::deserialize(deserializer)? {
                    serde_json::Value::String(text) => $name::from_wire(&text),
                    other => $name::Unknown(other.to_string()),
                })
            }
        }
    };
}

tolerant_enum!(
    /// `SubscriptionProduct.priceType`.
    PriceType { Contract = "CONTRACT", Free = "FREE", FreeTrial = "FREE_TRIAL", Byol = "BYOL", Payg = "PAYG" }
);

tolerant_enum!(
    /// `SubscriptionProduct.deliveryMethod`.
    DeliveryMethod { Saas = "SAAS", Kubernetes = "KUBERNETES", Sai = "SAI", ProfessionalService = "PROFESSIONAL_SERVICE" }
);

tolerant_enum!(
    /// `SubscriptionProduct.lifecycleState`.
    ProductState { Live = "PRODUCT_LIVE", PendingApproval = "PRODUCT_PENDING_APPROVAL", Preview = "PRODUCT_PREVIEW" }
);

/// Whether `id` has the shape STACKIT's SDKs check for product and plan IDs: `name-1a2b3c4d`
/// (up to 20 lowercase letters, digits or dashes, a dash, 8 hex digits).
pub fn is_product_id(id: &str) -> bool {
    let Some((name, suffix)) = id.rsplit_once('-') else { return false };
    (1..=20).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && suffix.len() == 8
        && suffix.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A subscription (spec: `marketplace.subscription.v1.Subscription`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub subscription_id: String,
    pub organization_id: String,
    /// The customer's project (not the vendor's).
    pub project_id: String,
    pub product: SubscriptionProduct,
    /// `lifecycleState` exactly as sent, kept for a state this version does not know;
    /// [`Subscription::state`] reads it as the domain's [`LifecycleState`].
    #[serde(rename = "lifecycleState", deserialize_with = "any_as_text")]
    pub lifecycle_state_raw: String,
    pub ordered_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_timeout: Option<WireDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renewal: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminates_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Not in the spec: the customer's contact e-mail, read when STACKIT sends it (README [decision]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_notification_email: Option<String>,
}

impl Subscription {
    /// The subscription's lifecycle state (`Unknown` for one this version does not know).
    pub fn state(&self) -> LifecycleState {
        LifecycleState::from_wire(&self.lifecycle_state_raw)
    }

    /// Moves the subscription to `state` (the simulator, and tests).
    pub fn set_state(&mut self, state: LifecycleState) {
        self.lifecycle_state_raw = state.as_wire().to_string();
    }
}

/// Reads a value that should be text; anything else is kept as its JSON, never refused.
fn any_as_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    })
}

/// The product of a subscription (spec: `marketplace.subscription.v1.SubscriptionProduct`).
/// Fields the spec requires default to empty when absent, so one sparse record never fails a sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionProduct {
    #[serde(default)]
    pub product_id: String,
    #[serde(default)]
    pub product_name: String,
    #[serde(default)]
    pub plan_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_plan_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_product_id: Option<String>,
    #[serde(default = "unknown_price_type")]
    pub price_type: PriceType,
    #[serde(default)]
    pub pricing_plan: String,
    #[serde(default = "unknown_delivery_method")]
    pub delivery_method: DeliveryMethod,
    #[serde(default = "unknown_product_state")]
    pub lifecycle_state: ProductState,
    #[serde(default)]
    pub vendor_name: String,
    #[serde(default)]
    pub vendor_website_url: String,
    #[serde(default)]
    pub rate: String,
    #[serde(default = "empty_duration")]
    pub validity_period: WireDuration,
    #[serde(default = "empty_duration")]
    pub notice_period: WireDuration,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assets: Option<Assets>,
}

fn unknown_price_type() -> PriceType {
    PriceType::Unknown(String::new())
}
fn unknown_delivery_method() -> DeliveryMethod {
    DeliveryMethod::Unknown(String::new())
}
fn unknown_product_state() -> ProductState {
    ProductState::Unknown(String::new())
}
fn empty_duration() -> WireDuration {
    WireDuration::parse("")
}

/// Documents of a product (spec: `marketplace.subscription.v1.Assets`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_license_agreement: Option<File>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_description: Option<File>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_certificate: Option<File>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level_agreement: Option<File>,
}

/// One document (spec: `marketplace.subscription.v1.File`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct File {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<LocalizedVersion>,
}

/// A document's version per language (spec: `marketplace.subscription.v1.File_LocalizedVersion`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LocalizedVersion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// One page of a listing (spec: `marketplace.subscription.v1.ListSubscriptionsResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListSubscriptionsResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(default)]
    pub items: Vec<Subscription>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i32>,
}

/// Error body (spec: `ErrorResponse`; note `timeStamp`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub status: i32,
    #[serde(default)]
    pub time_stamp: String,
}

/// Body of ApproveSubscription (spec: `ApproveSubscriptionPayload`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApproveSubscriptionPayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_target: Option<String>,
}

/// Body of ResolveCustomer (spec: `ResolveCustomerPayload`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolveCustomerPayload {
    pub token: String,
}

/// Body of the consumer's create call (spec: `consumers-subscriptions-createPayload`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSubscriptionPayload {
    pub product_id: String,
    pub sku: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_notification_email: Option<String>,
}

/// Where the consumer's browser goes next (spec: `marketplace.subscription.v1.SubscriptionRedirect`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRedirect {
    pub redirect_target: String,
    pub redirect_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBSCRIPTION: &str = r#"{
        "subscriptionId": "9f1c7e2a-43b5-4d8e-a1f0-2b3c4d5e6f70",
        "organizationId": "0b6a5e0e-3a07-4c36-9f8b-64b0b7e6a2d1",
        "projectId": "4f3c2b1a-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
        "lifecycleState": "SUBSCRIPTION_PENDING",
        "orderedAt": "2026-11-20T09:30:00Z",
        "approvalTimeout": "2592000s",
        "somethingNew": {"nested": true},
        "product": {
            "productId": "datavault-1a2b3c4d", "productName": "DataVault", "planId": "business-9f8e7d6c",
            "priceType": "CONTRACT", "pricingPlan": "monthly", "deliveryMethod": "SAAS",
            "lifecycleState": "PRODUCT_LIVE", "vendorName": "V", "vendorWebsiteUrl": "https://v.example",
            "rate": "9,90€", "validityPeriod": "P1M", "noticePeriod": "P30D"
        }
    }"#;

    #[test]
    fn a_subscription_reads_with_unknown_fields_ignored() {
        let subscription: Subscription = serde_json::from_str(SUBSCRIPTION).unwrap();
        assert_eq!(subscription.state(), LifecycleState::Pending);
        assert_eq!(subscription.approval_timeout.unwrap().seconds, Some(2_592_000));
        assert_eq!(subscription.product.notice_period.seconds, Some(2_592_000));
        assert_eq!(subscription.product.delivery_method, DeliveryMethod::Saas);
    }

    #[test]
    fn unknown_enum_values_are_kept_not_refused() {
        let text = SUBSCRIPTION
            .replace("SUBSCRIPTION_PENDING", "SUBSCRIPTION_PAUSED")
            .replace("\"CONTRACT\"", "\"PER_SEAT\"")
            .replace("\"SAAS\"", "\"CONTAINER_IMAGE\"");
        let subscription: Subscription = serde_json::from_str(&text).unwrap();
        assert_eq!(subscription.state(), LifecycleState::Unknown);
        assert_eq!(subscription.lifecycle_state_raw, "SUBSCRIPTION_PAUSED");
        assert_eq!(subscription.product.price_type.as_wire(), "PER_SEAT");
        assert_eq!(subscription.product.delivery_method, DeliveryMethod::Unknown("CONTAINER_IMAGE".into()));
        let again: Subscription =
            serde_json::from_str(&serde_json::to_string(&subscription).unwrap()).unwrap();
        assert_eq!(again, subscription);
    }

    #[test]
    fn product_ids_have_the_shape_the_sdks_check() {
        assert!(is_product_id("datavault-1a2b3c4d"));
        assert!(is_product_id("my-product-0a1b2c3d"));
        assert!(!is_product_id("DataVault-1a2b3c4d"));
        assert!(!is_product_id("datavault-1a2b3c4"));
        assert!(!is_product_id("datavault"));
    }

    #[test]
    fn a_sparse_product_still_reads() {
        let text = r#"{"subscriptionId":"a","organizationId":"b","projectId":"c","lifecycleState":"SUBSCRIPTION_ACTIVE",
            "orderedAt":"2026-01-01T00:00:00Z","product":{"productId":"p-1a2b3c4d"}}"#;
        let subscription: Subscription = serde_json::from_str(text).unwrap();
        assert_eq!(subscription.product.validity_period.seconds, None);
        assert_eq!(subscription.product.price_type, PriceType::Unknown(String::new()));
    }
}
