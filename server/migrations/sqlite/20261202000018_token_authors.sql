-- What an API token did is its own: a ticked step and a note name the token (by its name)
-- instead of an operator. A note has an operator or a token as author, never neither; SQLite
-- cannot drop a NOT NULL, so the notes table is written anew with its rows.
ALTER TABLE order_steps ADD COLUMN done_by_token TEXT;

CREATE TABLE order_notes_new (
    id              TEXT    PRIMARY KEY NOT NULL,
    subscription_id TEXT    NOT NULL REFERENCES orders (subscription_id),
    author_id       TEXT    REFERENCES operators (id),
    author_token    TEXT,
    body            TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    CHECK (author_id IS NOT NULL OR author_token IS NOT NULL)
);
INSERT INTO order_notes_new (id, subscription_id, author_id, body, created_at_ms)
    SELECT id, subscription_id, author_id, body, created_at_ms FROM order_notes;
DROP TABLE order_notes;
ALTER TABLE order_notes_new RENAME TO order_notes;
CREATE INDEX order_notes_by_order ON order_notes (subscription_id, created_at_ms);
