-- Accounts by invitation and password resets by e-mail: each link carries a one-time token that is stored only
-- as its SHA-256 hash, expires, and is used at most once.
CREATE TABLE invitations (
    id BLOB PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    municipality_id BLOB REFERENCES municipalities (id),
    expert_id BLOB REFERENCES experts (id),
    language TEXT NOT NULL CHECK (language IN ('en', 'nl', 'uk')),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    user_id BLOB REFERENCES users (id)
);
CREATE INDEX invitations_expert ON invitations (expert_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
