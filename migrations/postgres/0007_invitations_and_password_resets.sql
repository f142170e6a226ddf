-- Accounts by invitation and password resets by e-mail: each link carries a one-time token that is stored only
-- as its SHA-256 hash, expires, and is used at most once.
CREATE TABLE invitations (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    municipality_id UUID REFERENCES municipalities (id),
    expert_id UUID REFERENCES experts (id),
    language TEXT NOT NULL CHECK (language IN ('en', 'nl', 'uk')),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ,
    user_id UUID REFERENCES users (id)
);
CREATE INDEX invitations_expert ON invitations (expert_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id);
