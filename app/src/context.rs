//! What the server provides to every page through Leptos context, besides the ports: values from
//! its configuration that pages show. Defined here, below pages and components, so that the server
//! and any page can name them.

/// The scheme and host people use to reach Orderdesk, for links shown to copy.
#[derive(Debug, Clone)]
pub struct SiteOrigin(pub String);

/// The vendor as customers know them, from `ORDERDESK_VENDOR_NAME`; `None` when it is not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorBrand {
    pub name: Option<String>,
}
