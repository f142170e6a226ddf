-- Notifications (in-app inbox, e-mail outbox, each user's delivery choice) and monthly hours delivered.

ALTER TABLE users ADD COLUMN email_mode TEXT NOT NULL DEFAULT 'IMMEDIATE' CHECK (email_mode IN ('IMMEDIATE', 'DIGEST', 'OFF'));
ALTER TABLE users ADD COLUMN last_digest_at TEXT;

CREATE TABLE notifications (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BLOB NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

CREATE TABLE email_outbox (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'RECORDED', 'FAILED')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX email_outbox_pending ON email_outbox (status, id);

CREATE TABLE hours_reports (
    assignment_id BLOB NOT NULL REFERENCES assignments (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    hours INTEGER NOT NULL CHECK (hours BETWEEN 0 AND 744),
    reported_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (assignment_id, month)
);
