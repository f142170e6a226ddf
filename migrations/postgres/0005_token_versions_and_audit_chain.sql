-- Tokens end when their account's version moves on: sign-out, a password change, a status change.
ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;

-- The audit log as a hash chain: every event carries its place (`seq`), the hash of the event before it and its
-- own hash over both, so an event rewritten, removed or slipped in is found by `recovery-pool verify-audit`.
-- Events recorded before this version keep NULL there; the chain's first link is a hash over all of them.
ALTER TABLE audit_events ADD COLUMN seq BIGINT, ADD COLUMN prev_hash TEXT, ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);

-- A transaction's events wait here until it commits; only then are they linked into the chain, under the lock
-- of the chain's head, which every writer thus takes last and holds only for its commit.
CREATE TABLE audit_pending (
    id UUID PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id UUID NOT NULL,
    before_state TEXT,
    after_state TEXT
);

-- The chain's head: the last event's place and hash (one row, made at first start).
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- Row triggers do not see TRUNCATE; statement triggers do.
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_chain_stays BEFORE DELETE OR TRUNCATE ON audit_chain
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
