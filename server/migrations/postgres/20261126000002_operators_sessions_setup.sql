-- Operators (the vendor's staff) and their roles.
CREATE TABLE operators (
    id                  TEXT    PRIMARY KEY NOT NULL,
    email               TEXT    NOT NULL UNIQUE,
    display_name        TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    password_hash       TEXT,
    active              BIGINT  NOT NULL CHECK (active IN (0, 1)),
    setup_token_hash    TEXT    UNIQUE,
    setup_expires_at_ms BIGINT,
    created_at_ms       BIGINT  NOT NULL,
    updated_at_ms       BIGINT  NOT NULL
);

-- Sessions of operators and (later) customers: separate realms, stored hashed, shared by replicas.
CREATE TABLE sessions (
    token_hash      TEXT    PRIMARY KEY NOT NULL,
    realm           TEXT    NOT NULL CHECK (realm IN ('operator', 'customer')),
    subject_id      TEXT    NOT NULL,
    created_at_ms   BIGINT  NOT NULL,
    last_seen_at_ms BIGINT  NOT NULL,
    expires_at_ms   BIGINT  NOT NULL
);
CREATE INDEX sessions_by_subject ON sessions (realm, subject_id);

-- Failed sign-ins, per account and per address, for rate limiting.
CREATE TABLE login_failures (
    id       BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope    TEXT    NOT NULL,
    at_ms    BIGINT  NOT NULL
);
CREATE INDEX login_failures_by_scope ON login_failures (scope, at_ms);

-- The products this vendor sells, and each one's setup checklist template.
CREATE TABLE products (
    product_id           TEXT    PRIMARY KEY NOT NULL,
    display_name         TEXT    NOT NULL,
    approval_window_secs BIGINT  NOT NULL CHECK (approval_window_secs > 0),
    created_at_ms        BIGINT  NOT NULL,
    updated_at_ms        BIGINT  NOT NULL
);

CREATE TABLE checklist_steps (
    id               TEXT    PRIMARY KEY NOT NULL,
    product_id       TEXT    NOT NULL REFERENCES products (product_id),
    position         BIGINT  NOT NULL,
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    customer_visible BIGINT  NOT NULL CHECK (customer_visible IN (0, 1)),
    UNIQUE (product_id, position)
);

-- Each order's own copy of its product's checklist, with who ticked what and when.
CREATE TABLE order_steps (
    id               TEXT    PRIMARY KEY NOT NULL,
    subscription_id  TEXT    NOT NULL REFERENCES orders (subscription_id),
    position         BIGINT  NOT NULL,
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    customer_visible BIGINT  NOT NULL CHECK (customer_visible IN (0, 1)),
    done_at_ms       BIGINT,
    done_by          TEXT    REFERENCES operators (id),
    UNIQUE (subscription_id, position)
);

CREATE TABLE order_notes (
    id              TEXT    PRIMARY KEY NOT NULL,
    subscription_id TEXT    NOT NULL REFERENCES orders (subscription_id),
    author_id       TEXT    NOT NULL REFERENCES operators (id),
    body            TEXT    NOT NULL,
    created_at_ms   BIGINT  NOT NULL
);
CREATE INDEX order_notes_by_order ON order_notes (subscription_id, created_at_ms);

-- Work on an order: who has it, and where its approval or rejection stands on our side.
ALTER TABLE orders ADD COLUMN assignee_id TEXT REFERENCES operators (id);
ALTER TABLE orders ADD COLUMN decision_state TEXT CHECK (decision_state IN ('approving', 'rejecting', 'failed'));
ALTER TABLE orders ADD COLUMN decision_error TEXT;
ALTER TABLE orders ADD COLUMN rejection_reason TEXT;
