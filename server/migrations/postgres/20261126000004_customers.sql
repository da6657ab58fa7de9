-- Customers: Orderdesk's own accounts for the people behind STACKIT orders (no STACKIT account needed).
CREATE TABLE customers (
    id                   TEXT    PRIMARY KEY NOT NULL,
    email                TEXT    NOT NULL UNIQUE,
    password_hash        TEXT    NOT NULL,
    email_verified_at_ms BIGINT,
    created_at_ms        BIGINT NOT NULL
);

-- One-time links mailed to customers: verify the address, reset the password. Stored hashed.
CREATE TABLE customer_tokens (
    token_hash    TEXT    PRIMARY KEY NOT NULL,
    customer_id   TEXT    NOT NULL REFERENCES customers (id),
    purpose       TEXT    NOT NULL CHECK (purpose IN ('verify', 'reset')),
    expires_at_ms BIGINT NOT NULL,
    used_at_ms    BIGINT
);

-- The short-lived link between a browser arriving from STACKIT and its subscription, so the
-- marketplace token travels no further than the sign-up request. Stored hashed.
CREATE TABLE signups (
    token_hash      TEXT    PRIMARY KEY NOT NULL,
    subscription_id TEXT    NOT NULL REFERENCES orders (subscription_id),
    project_id      TEXT    NOT NULL,
    expires_at_ms   BIGINT NOT NULL,
    claimed_at_ms   BIGINT
);

-- Marketplace tokens already exchanged: a token works once.
CREATE TABLE marketplace_tokens (
    token_hash      TEXT    PRIMARY KEY NOT NULL,
    subscription_id TEXT    NOT NULL,
    used_at_ms      BIGINT NOT NULL
);

-- Which customer accounts see which STACKIT projects (and so those projects' subscriptions).
CREATE TABLE customer_projects (
    customer_id   TEXT    NOT NULL REFERENCES customers (id),
    project_id    TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'member')),
    added_at_ms   BIGINT NOT NULL,
    PRIMARY KEY (customer_id, project_id)
);
CREATE INDEX customer_projects_by_project ON customer_projects (project_id);

-- Invitations of team members to a project, by e-mail. Stored hashed.
CREATE TABLE project_invites (
    token_hash     TEXT    PRIMARY KEY NOT NULL,
    project_id     TEXT    NOT NULL,
    email          TEXT    NOT NULL,
    invited_by     TEXT    NOT NULL REFERENCES customers (id),
    expires_at_ms  BIGINT NOT NULL,
    accepted_at_ms BIGINT
);

-- Mails captured instead of sent (demo mode and tests): the console's outbox viewer reads them.
CREATE TABLE captured_mails (
    id            TEXT    PRIMARY KEY NOT NULL,
    recipient     TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX captured_mails_newest ON captured_mails (created_at_ms);
