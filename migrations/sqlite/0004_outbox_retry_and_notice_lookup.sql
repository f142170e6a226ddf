-- E-mail outbox retries: when a PENDING e-mail may next be tried (a claim by a sender pushes it forward, so no two
-- senders take the same row; a failure pushes it out by a backoff). Notifications per object: for "was this
-- already flagged?" checks (stale proposals).

ALTER TABLE email_outbox ADD COLUMN next_attempt_at TEXT;
CREATE INDEX notifications_object ON notifications (object_id, kind);
