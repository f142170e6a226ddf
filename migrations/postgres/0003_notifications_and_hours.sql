-- Notifications (in-app inbox, e-mail outbox, each user's delivery choice) and monthly hours delivered.

ALTER TABLE users ADD COLUMN email_mode TEXT NOT NULL DEFAULT 'IMMEDIATE' CHECK (email_mode IN ('IMMEDIATE', 'DIGEST', 'OFF'));
ALTER TABLE users ADD COLUMN last_digest_at TIMESTAMPTZ;

CREATE TABLE notifications (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, id);

CREATE TABLE email_outbox (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'RECORDED', 'FAILED')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ
);
CREATE INDEX email_outbox_pending ON email_outbox (status, id);

CREATE TABLE hours_reports (
    assignment_id UUID NOT NULL REFERENCES assignments (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    hours INTEGER NOT NULL CHECK (hours BETWEEN 0 AND 744),
    reported_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assignment_id, month)
);
