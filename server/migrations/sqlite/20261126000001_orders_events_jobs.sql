-- Orders mirror STACKIT subscriptions (spec: Subscription + SubscriptionProduct), one row each.
-- Timestamps: the text STACKIT sent, plus UTC milliseconds for sorting. Durations: raw text plus
-- seconds when the text could be parsed. Enum-like product fields keep the raw wire text so that
-- values STACKIT adds later are shown instead of rejected.
CREATE TABLE orders (
    subscription_id             TEXT    PRIMARY KEY NOT NULL,
    organization_id             TEXT    NOT NULL,
    project_id                  TEXT    NOT NULL,
    lifecycle_state             TEXT    NOT NULL CHECK (lifecycle_state IN (
                                    'STATE_UNSPECIFIED', 'SUBSCRIPTION_PENDING', 'SUBSCRIPTION_ACTIVE',
                                    'SUBSCRIPTION_INACTIVE', 'SUBSCRIPTION_CANCELLING', 'SUBSCRIPTION_CANCELLED',
                                    'SUBSCRIPTION_REJECTED', 'SUBSCRIPTION_APPROVAL_TIMED_OUT', 'UNKNOWN')),
    lifecycle_state_raw         TEXT    NOT NULL,
    ordered_at                  TEXT    NOT NULL,
    ordered_at_ms               INTEGER NOT NULL,
    approval_timeout            TEXT,
    approval_timeout_secs       INTEGER,
    auto_renewal                INTEGER CHECK (auto_renewal IN (0, 1)),
    terminates_at               TEXT,
    terminates_at_ms            INTEGER,
    valid_from                  TEXT,
    valid_from_ms               INTEGER,
    valid_until                 TEXT,
    valid_until_ms              INTEGER,
    product_id                  TEXT    NOT NULL,
    product_name                TEXT    NOT NULL,
    plan_id                     TEXT    NOT NULL,
    vendor_plan_id              TEXT,
    vendor_product_id           TEXT,
    price_type                  TEXT    NOT NULL,
    pricing_plan                TEXT    NOT NULL,
    delivery_method             TEXT    NOT NULL,
    product_lifecycle_state     TEXT    NOT NULL,
    vendor_name                 TEXT    NOT NULL,
    vendor_website_url          TEXT    NOT NULL,
    rate                        TEXT    NOT NULL,
    validity_period             TEXT    NOT NULL,
    validity_period_secs        INTEGER,
    notice_period               TEXT    NOT NULL,
    notice_period_secs          INTEGER,
    assets_json                 TEXT,
    consumer_notification_email TEXT,
    contact_email               TEXT,
    contact_email_source        TEXT    CHECK (contact_email_source IN ('stackit', 'customer', 'operator')),
    instance_target             TEXT,
    first_seen_at_ms            INTEGER NOT NULL,
    updated_at_ms               INTEGER NOT NULL,
    CHECK ((contact_email IS NULL) = (contact_email_source IS NULL))
);
CREATE INDEX orders_by_state ON orders (lifecycle_state, ordered_at_ms);
CREATE INDEX orders_by_project_product ON orders (project_id, product_id);

-- The audit trail: every state change and every action, with who and when. Append-only.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id TEXT    REFERENCES orders (subscription_id),
    kind            TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    detail          TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL
);
CREATE INDEX events_by_order ON events (subscription_id, id);
CREATE INDEX events_by_kind ON events (kind, id);

-- Background work (Vendor API writes, e-mails, webhooks), claimed with a lease so that several
-- replicas never run one job twice.
CREATE TABLE jobs (
    id              TEXT    PRIMARY KEY NOT NULL,
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    max_attempts    INTEGER NOT NULL CHECK (max_attempts > 0),
    run_at_ms       INTEGER NOT NULL,
    locked_by       TEXT,
    locked_until_ms INTEGER,
    last_error      TEXT,
    dedupe_key      TEXT    UNIQUE,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at_ms);
