-- Template steps an admin marks "carried over": when a plan change brings a new order, such a
-- step that was done on the previous order is done on the new one too (who and when kept).
ALTER TABLE checklist_steps ADD COLUMN carry_over BIGINT NOT NULL DEFAULT 0 CHECK (carry_over IN (0, 1));
