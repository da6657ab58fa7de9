-- Tokens for the automation API: a vendor's own systems read orders without a browser. The
-- secret is kept only as its SHA-256; the ID before it in the token finds the row.
CREATE TABLE api_tokens (
    id              TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    role            TEXT    NOT NULL,
    secret_hash     TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    expires_at_ms   INTEGER,
    revoked_at_ms   INTEGER,
    last_used_at_ms INTEGER
);
