-- Search served by an index beside the orders that catches up after the writes, as SQLite's does
-- (issue 14). The trigram index on the orders themselves (`orders_search`, migration 10) was kept
-- in step row by row: 7 of the 10 s that inserting 100,000 orders took, and with it a first sync
-- took 30 s. Now a statement trigger only notes which orders are new and a row trigger which
-- have a new contact address, project or organization (`search_pending`); an indexer writes their searched text into
-- `order_search`, whose trigram index serves a rare term. A search reads that index and the
-- orders still pending, and checks every candidate against the order's current text.
CREATE TABLE order_search (
    subscription_id TEXT PRIMARY KEY,
    searched        TEXT NOT NULL
);
CREATE INDEX order_search_trigrams ON order_search USING gin (searched gin_trgm_ops);
CREATE TABLE search_pending (subscription_id TEXT PRIMARY KEY);

-- An order noted while the indexer holds its note waits for the indexer to finish (the update
-- takes the note's lock), so the indexer cannot take away a note it did not read the text for.
CREATE FUNCTION orders_search_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_pending (subscription_id)
        SELECT subscription_id FROM added ORDER BY subscription_id
        ON CONFLICT (subscription_id) DO UPDATE SET subscription_id = EXCLUDED.subscription_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER orders_search_added AFTER INSERT ON orders
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION orders_search_added();

CREATE FUNCTION orders_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_pending (subscription_id) VALUES (NEW.subscription_id)
        ON CONFLICT (subscription_id) DO UPDATE SET subscription_id = EXCLUDED.subscription_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER orders_search_changed AFTER UPDATE OF contact_email, project_id, organization_id ON orders
    FOR EACH ROW WHEN (OLD.contact_email IS DISTINCT FROM NEW.contact_email
                       OR OLD.project_id IS DISTINCT FROM NEW.project_id
                       OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    EXECUTE FUNCTION orders_search_changed();

INSERT INTO search_pending (subscription_id) SELECT subscription_id FROM orders;
DROP INDEX orders_search;
-- A common term is found by walking the orders in the page's order, which the planner chooses only
-- when it knows how many orders the term matches: without the expression index it had no
-- statistics of the searched text, guessed 13 of 100,000 for a term in 13,000, and read and
-- sorted every order instead (0.5 s a page). Statistics of the expression (PostgreSQL 14+) tell it.
CREATE STATISTICS orders_searched ON (
    (LOWER(COALESCE(contact_email, '')) || E'\n' || subscription_id || E'\n' || project_id || E'\n' || organization_id)
) FROM orders;
ANALYZE orders;
