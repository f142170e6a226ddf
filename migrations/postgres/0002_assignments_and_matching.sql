-- Assignments (one expert in one role of a need) with their three consents, hours and feedback;
-- matching rounds with their proposals.

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
    -- The three consents (DESIGN §4): the Ukrainian side accepts, the expert agrees, the municipality releases.
    accepted_at TIMESTAMPTZ,
    expert_agreed_at TIMESTAMPTZ,
    released_at TIMESTAMPTZ,
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    outcome_report TEXT,
    expert_feedback TEXT,
    expert_rating INTEGER CHECK (expert_rating BETWEEN 1 AND 5),
    recipient_feedback TEXT,
    recipient_rating INTEGER CHECK (recipient_rating BETWEEN 1 AND 5),
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
