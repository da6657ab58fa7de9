-- SQLite's search index already sits beside the orders and catches up after the writes
-- (migration 14); PostgreSQL's moves there with this version. Both now note an order whose
-- project or organization changed too, not only its contact address: both IDs are searched.
DROP TRIGGER orders_search_changed;
CREATE TRIGGER orders_search_changed AFTER UPDATE OF contact_email, project_id, organization_id ON orders
WHEN OLD.contact_email IS NOT NEW.contact_email
  OR OLD.project_id IS NOT NEW.project_id
  OR OLD.organization_id IS NOT NEW.organization_id BEGIN
    INSERT OR IGNORE INTO search_pending (subscription_id) VALUES (NEW.subscription_id);
END;
