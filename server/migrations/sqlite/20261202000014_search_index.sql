-- Search served by an index on SQLite too (issue 14). A term few orders contain was a scan of
-- every order (2 searches a second at 100,000 orders, p99 5 s; past the request timeout at a
-- million). SQLite cannot index an expression for substring search; its full-text engine can,
-- with the trigram tokenizer, in a table beside the orders. Kept in step by triggers, that
-- table made a first sync of 100,000 orders twice as slow, so triggers only note which orders
-- are new or have a new contact address (`search_pending`), and an indexer catches up after the
-- writes, in batches of its own. A search reads the index and the few orders still pending, and
-- checks every candidate against the order's current text.
CREATE VIRTUAL TABLE order_search USING fts5 (searched, tokenize = 'trigram');
-- The index's row of each order (its rowid), stable for the order's life.
CREATE TABLE search_docs (
    doc INTEGER PRIMARY KEY,
    subscription_id TEXT NOT NULL UNIQUE
);
CREATE TABLE search_pending (subscription_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TRIGGER orders_search_added AFTER INSERT ON orders BEGIN
    INSERT OR IGNORE INTO search_pending (subscription_id) VALUES (NEW.subscription_id);
END;
CREATE TRIGGER orders_search_changed AFTER UPDATE OF contact_email ON orders
WHEN OLD.contact_email IS NOT NEW.contact_email BEGIN
    INSERT OR IGNORE INTO search_pending (subscription_id) VALUES (NEW.subscription_id);
END;
INSERT INTO search_pending (subscription_id) SELECT subscription_id FROM orders;
