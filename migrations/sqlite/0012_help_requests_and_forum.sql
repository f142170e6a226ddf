-- Requests for help beyond expertise (material or financial help a hromada asks for through AUC, and the offers
-- member municipalities answer with), and the network's forum: posts, answers, and coordinators' announcements.

CREATE TABLE help_requests (
    id BLOB PRIMARY KEY NOT NULL,
    municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    kind TEXT NOT NULL CHECK (kind IN ('MATERIAL', 'FINANCIAL')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT,
    needed_by TEXT,
    status TEXT NOT NULL CHECK (status IN ('OPEN', 'AGREED', 'CLOSED')),
    posted_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX help_requests_status ON help_requests (status, created_at);

CREATE TABLE help_offers (
    id BLOB PRIMARY KEY NOT NULL,
    request_id BLOB NOT NULL REFERENCES help_requests (id),
    municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('OFFERED', 'AGREED', 'DECLINED', 'WITHDRAWN')),
    offered_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    decided_by BLOB REFERENCES users (id),
    decided_at TEXT
);
CREATE INDEX help_offers_request ON help_offers (request_id, created_at);

CREATE TABLE forum_posts (
    id BLOB PRIMARY KEY NOT NULL,
    -- Null for a new topic; the topic's id for an answer.
    parent_id BLOB REFERENCES forum_posts (id),
    kind TEXT NOT NULL CHECK (kind IN ('INITIATIVE', 'QUESTION', 'TIP', 'ANSWER', 'ANNOUNCEMENT')),
    title TEXT,
    body TEXT NOT NULL,
    -- Comma-separated.
    tags TEXT NOT NULL,
    municipality_id BLOB REFERENCES municipalities (id),
    author_id BLOB REFERENCES users (id),
    pinned INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX forum_posts_parent ON forum_posts (parent_id, created_at);
