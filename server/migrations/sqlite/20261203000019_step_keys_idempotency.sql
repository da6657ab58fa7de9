-- A stable key per checklist step, so that a script names "provision" rather than a step's ID;
-- an order's step keeps the key its template step had. The default checklist's steps get their
-- words, any other step "step-<position>" (unique within its product).
ALTER TABLE checklist_steps ADD COLUMN step_key TEXT NOT NULL DEFAULT '';
ALTER TABLE order_steps ADD COLUMN step_key TEXT NOT NULL DEFAULT '';
UPDATE checklist_steps SET step_key = CASE title
        WHEN 'Confirm the order with the customer' THEN 'confirm'
        WHEN 'Provision the customer''s instance' THEN 'provision'
        WHEN 'Send the access details' THEN 'access-details'
        WHEN 'Record the customer in billing' THEN 'billing'
        ELSE 'step-' || CAST(position AS TEXT) END;
-- Two steps of one product with the same default title keep apart by their position.
UPDATE checklist_steps SET step_key = 'step-' || CAST(position AS TEXT)
    WHERE EXISTS (SELECT 1 FROM checklist_steps d WHERE d.product_id = checklist_steps.product_id
                  AND d.step_key = checklist_steps.step_key AND d.position < checklist_steps.position);
CREATE UNIQUE INDEX checklist_steps_by_key ON checklist_steps (product_id, step_key);
UPDATE order_steps SET step_key = COALESCE(
        (SELECT MIN(c.step_key) FROM checklist_steps c JOIN orders o ON o.product_id = c.product_id
         WHERE o.subscription_id = order_steps.subscription_id AND c.title = order_steps.title),
        'step-' || CAST(position AS TEXT));
-- Two steps of one order with one key (their template had two steps of one title) keep apart by
-- the later one's position.
UPDATE order_steps SET step_key = step_key || '-' || CAST(position AS TEXT)
    WHERE EXISTS (SELECT 1 FROM order_steps d WHERE d.subscription_id = order_steps.subscription_id
                  AND d.step_key = order_steps.step_key AND d.position < order_steps.position);

-- The automation API's answers to writes sent with an `Idempotency-Key`, per token: a retry
-- with the same key gets the first answer and changes nothing twice. Kept at least 24 hours.
CREATE TABLE api_idempotency (
    token_id      TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    status        INTEGER,
    body          TEXT,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_by_age ON api_idempotency (created_at_ms);
