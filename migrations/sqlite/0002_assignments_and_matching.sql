-- Assignments (one expert in one role of a need) with their three consents, hours and feedback;
-- matching rounds with their proposals.

CREATE TABLE assignments (
    id BLOB PRIMARY KEY NOT NULL,
    need_id BLOB NOT NULL REFERENCES needs (id),
    role_id BLOB NOT NULL REFERENCES need_roles (id),
    expert_id BLOB NOT NULL REFERENCES experts (id),
    status TEXT NOT NULL CHECK (status IN ('PROPOSED', 'ACCEPTED', 'REJECTED', 'CONFIRMED', 'DECLINED', 'WITHDRAWN',
        'ACTIVE', 'COMPLETED', 'CANCELLED')),
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 40),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    score INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    round_id BLOB,
    reason TEXT,
    -- The three consents (DESIGN §4): the Ukrainian side accepts, the expert agrees, the municipality releases.
    accepted_at TEXT,
    expert_agreed_at TEXT,
    released_at TEXT,
    started_at TEXT,
    completed_at TEXT,
    outcome_report TEXT,
    expert_feedback TEXT,
    expert_rating INTEGER CHECK (expert_rating BETWEEN 1 AND 5),
    recipient_feedback TEXT,
    recipient_rating INTEGER CHECK (recipient_rating BETWEEN 1 AND 5),
    proposed_by BLOB,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX assignments_expert ON assignments (expert_id, status);
CREATE INDEX assignments_need ON assignments (need_id, status);
CREATE INDEX assignments_role ON assignments (role_id, status);

CREATE TABLE matching_rounds (
    id BLOB PRIMARY KEY NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
    params TEXT NOT NULL,
    need_count INTEGER NOT NULL,
    expert_count INTEGER NOT NULL,
    eligible_pairs INTEGER,
    objective INTEGER,
    stats TEXT,
    error TEXT,
    run_by BLOB,
    created_at TEXT NOT NULL,
    finished_at TEXT
);

CREATE TABLE round_proposals (
    round_id BLOB NOT NULL REFERENCES matching_rounds (id),
    position INTEGER NOT NULL,
    need_id BLOB NOT NULL REFERENCES needs (id),
    role_id BLOB NOT NULL REFERENCES need_roles (id),
    expert_id BLOB NOT NULL REFERENCES experts (id),
    score INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    assignment_id BLOB REFERENCES assignments (id),
    PRIMARY KEY (round_id, position)
);
