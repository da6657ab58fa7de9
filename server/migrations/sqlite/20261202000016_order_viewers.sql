-- Who has an order's page open: each open page says so every few seconds, and the page shows the
-- others who did within the last half minute. In the database, so replicas see each other's.
CREATE TABLE order_viewers (
    subscription_id TEXT   NOT NULL,
    operator_id     TEXT   NOT NULL,
    seen_at_ms      BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, operator_id)
);
