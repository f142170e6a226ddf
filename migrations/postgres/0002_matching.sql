-- Matching rounds with their proposals, and the assignments that committed proposals become.

CREATE TABLE assignments (
    id UUID PRIMARY KEY,
    need_id UUID NOT NULL REFERENCES needs (id),
    role_id UUID NOT NULL REFERENCES need_roles (id),
    expert_id UUID NOT NULL REFERENCES experts (id),
    status TEXT NOT NULL CHECK (status IN ('PROPOSED', 'ACCEPTED', 'REJECTED', 'CONFIRMED', 'DECLINED', 'WITHDRAWN',
        'ACTIVE', 'COMPLETED', 'CANCELLED')),
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 40),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    score INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    round_id UUID,
    reason TEXT,
    proposed_by UUID,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX assignments_expert ON assignments (expert_id, status);
CREATE INDEX assignments_need ON assignments (need_id, status);
CREATE INDEX assignments_role ON assignments (role_id, status);

CREATE TABLE matching_rounds (
    id UUID PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
    params TEXT NOT NULL,
    need_count INTEGER NOT NULL,
    expert_count INTEGER NOT NULL,
    eligible_pairs BIGINT,
    objective BIGINT,
    stats TEXT,
    error TEXT,
    run_by UUID,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

CREATE TABLE round_proposals (
    round_id UUID NOT NULL REFERENCES matching_rounds (id),
    position INTEGER NOT NULL,
    need_id UUID NOT NULL REFERENCES needs (id),
    role_id UUID NOT NULL REFERENCES need_roles (id),
    expert_id UUID NOT NULL REFERENCES experts (id),
    score INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    assignment_id UUID REFERENCES assignments (id),
    PRIMARY KEY (round_id, position)
);
