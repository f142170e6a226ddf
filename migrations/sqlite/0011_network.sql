-- The network around the pool (docs/network.md): municipalities' participation and contact persons, existing ties
-- between municipalities (they feed the matching's continuity once confirmed), information sessions with
-- registrations and a waiting list, and reception locations for displaced people.

CREATE TABLE network_members (
    municipality_id BLOB PRIMARY KEY NOT NULL REFERENCES municipalities (id),
    status TEXT NOT NULL CHECK (status IN ('INTERESTED', 'ACTIVE', 'PAUSED')),
    offers_expertise INTEGER NOT NULL,
    offers_money INTEGER NOT NULL,
    offers_hosting INTEGER NOT NULL,
    -- Skill categories the municipality can lend expertise in, comma-separated.
    skill_areas TEXT NOT NULL,
    note TEXT,
    updated_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE network_contacts (
    id BLOB PRIMARY KEY NOT NULL,
    municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    name TEXT NOT NULL,
    role_title TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX network_contacts_municipality ON network_contacts (municipality_id);

CREATE TABLE municipality_ties (
    id BLOB PRIMARY KEY NOT NULL,
    contributing_municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    recovering_municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    kind TEXT NOT NULL CHECK (kind IN ('PARTNERSHIP', 'EARLIER_PROJECT', 'PERSONAL_CONTACTS')),
    since TEXT,
    contact TEXT,
    note TEXT,
    entered_by_side TEXT NOT NULL CHECK (entered_by_side IN ('CONTRIBUTING', 'RECOVERING')),
    entered_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    confirmed_by BLOB REFERENCES users (id),
    confirmed_at TEXT,
    UNIQUE (contributing_municipality_id, recovering_municipality_id, kind)
);

CREATE TABLE info_sessions (
    id BLOB PRIMARY KEY NOT NULL,
    title_en TEXT NOT NULL,
    title_nl TEXT NOT NULL,
    title_uk TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_nl TEXT NOT NULL,
    description_uk TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('IN_PERSON', 'ONLINE', 'HYBRID')),
    place TEXT,
    online_link TEXT,
    capacity_in_person INTEGER NOT NULL CHECK (capacity_in_person >= 0),
    capacity_online INTEGER NOT NULL CHECK (capacity_online >= 0),
    registration_deadline TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    reminded_at TEXT,
    CHECK (ends_at > starts_at)
);

CREATE TABLE session_registrations (
    id BLOB PRIMARY KEY NOT NULL,
    session_id BLOB NOT NULL REFERENCES info_sessions (id),
    municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    person_name TEXT NOT NULL,
    email TEXT NOT NULL,
    attendance TEXT NOT NULL CHECK (attendance IN ('IN_PERSON', 'ONLINE')),
    status TEXT NOT NULL CHECK (status IN ('REGISTERED', 'WAITING', 'CANCELLED')),
    registered_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    cancelled_at TEXT,
    promoted_at TEXT
);
CREATE INDEX session_registrations_session ON session_registrations (session_id, attendance, status, created_at);

CREATE TABLE reception_offers (
    id BLOB PRIMARY KEY NOT NULL,
    municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    location_name TEXT NOT NULL,
    address TEXT,
    places INTEGER NOT NULL CHECK (places > 0),
    available_from TEXT NOT NULL,
    available_until TEXT,
    target_group TEXT,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT,
    created_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX reception_offers_municipality ON reception_offers (municipality_id);

-- E-mails may carry one attachment (an information session's iCalendar invitation).
ALTER TABLE email_outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE email_outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE email_outbox ADD COLUMN attachment_body TEXT;
