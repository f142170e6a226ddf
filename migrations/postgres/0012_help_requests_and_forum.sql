-- Requests for help beyond expertise (material or financial help a hromada asks for through AUC, and the offers
-- member municipalities answer with), and the network's forum: posts, answers, and coordinators' announcements.

CREATE TABLE help_requests (
    id UUID PRIMARY KEY,
    municipality_id UUID NOT NULL REFERENCES municipalities (id),
    kind TEXT NOT NULL CHECK (kind IN ('MATERIAL', 'FINANCIAL')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT,
    needed_by DATE,
    status TEXT NOT NULL CHECK (status IN ('OPEN', 'AGREED', 'CLOSED')),
    posted_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX help_requests_status ON help_requests (status, created_at);

CREATE TABLE help_offers (
    id UUID PRIMARY KEY,
    request_id UUID NOT NULL REFERENCES help_requests (id),
    municipality_id UUID NOT NULL REFERENCES municipalities (id),
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('OFFERED', 'AGREED', 'DECLINED', 'WITHDRAWN')),
    offered_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    decided_by UUID REFERENCES users (id),
    decided_at TIMESTAMPTZ
);
CREATE INDEX help_offers_request ON help_offers (request_id, created_at);

CREATE TABLE forum_posts (
    id UUID PRIMARY KEY,
    -- Null for a new topic; the topic's id for an answer.
    parent_id UUID REFERENCES forum_posts (id),
    kind TEXT NOT NULL CHECK (kind IN ('INITIATIVE', 'QUESTION', 'TIP', 'ANSWER', 'ANNOUNCEMENT')),
    title TEXT,
    body TEXT NOT NULL,
    -- Comma-separated.
    tags TEXT NOT NULL,
    municipality_id UUID REFERENCES municipalities (id),
    author_id UUID REFERENCES users (id),
    pinned BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX forum_posts_parent ON forum_posts (parent_id, created_at);
