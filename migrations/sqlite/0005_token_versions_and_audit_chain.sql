-- Tokens end when their account's version moves on: sign-out, a password change, a status change.
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;

-- The audit log as a hash chain: every event carries its place (`seq`), the hash of the event before it and its
-- own hash over both, so an event rewritten, removed or slipped in is found by `recovery-pool verify-audit`.
-- Events recorded before this version keep NULL there; the chain's first link is a hash over all of them.
ALTER TABLE audit_events ADD COLUMN seq INTEGER;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);

-- A transaction's events wait here until it commits; only then are they linked into the chain, under the lock
-- of the chain's head, which every writer thus takes last and holds only for its commit.
CREATE TABLE audit_pending (
    id BLOB PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    actor_id BLOB,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BLOB NOT NULL,
    before_state TEXT,
    after_state TEXT
);

-- The chain's head: the last event's place and hash (one row, made at first start).
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'the audit chain head stays'); END;

-- INSERT OR REPLACE removes the old row without firing the delete trigger (recursive triggers are off), so an
-- insert that would meet an existing event is refused before it gets there.
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id OR seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
