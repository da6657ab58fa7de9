-- What an API token did is its own: a ticked step and a note name the token (by its name)
-- instead of an operator. A note has an operator or a token as author, never neither.
ALTER TABLE order_steps ADD COLUMN done_by_token TEXT;
ALTER TABLE order_notes ALTER COLUMN author_id DROP NOT NULL;
ALTER TABLE order_notes ADD COLUMN author_token TEXT;
ALTER TABLE order_notes ADD CONSTRAINT order_notes_author CHECK (author_id IS NOT NULL OR author_token IS NOT NULL);
