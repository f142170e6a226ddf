-- Matching rounds with their proposals, and the assignments that committed proposals become.

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
