-- The pool's core: municipalities, skills, users, experts, plans, needs and the audit log.
-- Native types: uuid, date, timestamptz, boolean.

CREATE TABLE municipalities (
    id UUID PRIMARY KEY,
    country TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_local TEXT NOT NULL,
    name_latin TEXT NOT NULL,
    search_name TEXT NOT NULL,
    region TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('CONTRIBUTING', 'RECOVERING')),
    security_status TEXT CHECK (security_status IN ('NORMAL', 'NEAR_FRONTLINE', 'ACTIVE_HOSTILITIES', 'OCCUPIED')),
    population INTEGER,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX municipalities_country_name ON municipalities (country, name, id);

CREATE TABLE skills (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_nl TEXT NOT NULL,
    label_uk TEXT NOT NULL,
    esco_group TEXT
);

CREATE TABLE experts (
    id UUID PRIMARY KEY,
    municipality_id UUID NOT NULL REFERENCES municipalities (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    job_title TEXT NOT NULL,
    bio TEXT,
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 40),
    available_from DATE NOT NULL,
    available_until DATE,
    remote BOOLEAN NOT NULL,
    on_site BOOLEAN NOT NULL,
    hosting BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'WITHDRAWN')),
    consent_date DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX experts_municipality ON experts (municipality_id, id);

CREATE TABLE expert_skills (
    expert_id UUID NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    skill_id UUID NOT NULL REFERENCES skills (id),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    years INTEGER,
    PRIMARY KEY (expert_id, skill_id)
);
CREATE INDEX expert_skills_skill ON expert_skills (skill_id, level);

CREATE TABLE expert_languages (
    expert_id UUID NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    level TEXT NOT NULL,
    PRIMARY KEY (expert_id, language)
);

CREATE TABLE users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    municipality_id UUID REFERENCES municipalities (id),
    expert_id UUID REFERENCES experts (id),
    status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE recovery_plans (
    id UUID PRIMARY KEY,
    municipality_id UUID NOT NULL REFERENCES municipalities (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    sectors TEXT NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    programme TEXT,
    status TEXT NOT NULL CHECK (status IN ('DRAFT', 'SUBMITTED', 'ENDORSED', 'CLOSED')),
    return_reason TEXT,
    created_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX recovery_plans_municipality ON recovery_plans (municipality_id, id);

CREATE TABLE needs (
    id UUID PRIMARY KEY,
    plan_id UUID NOT NULL REFERENCES recovery_plans (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    sector TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    remote BOOLEAN NOT NULL,
    on_site BOOLEAN NOT NULL,
    hosting BOOLEAN NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    status TEXT NOT NULL CHECK (status IN ('DRAFT', 'OPEN', 'FILLED', 'CLOSED', 'CANCELLED')),
    dream_project_id TEXT,
    created_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX needs_plan ON needs (plan_id, id);
CREATE INDEX needs_status ON needs (status, id);

CREATE TABLE need_roles (
    id UUID PRIMARY KEY,
    need_id UUID NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 20),
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 40),
    interpreter_available BOOLEAN NOT NULL
);
CREATE INDEX need_roles_need ON need_roles (need_id, position);

CREATE TABLE role_skills (
    role_id UUID NOT NULL REFERENCES need_roles (id) ON DELETE CASCADE,
    skill_id UUID NOT NULL REFERENCES skills (id),
    min_level INTEGER NOT NULL CHECK (min_level BETWEEN 1 AND 5),
    essential BOOLEAN NOT NULL,
    PRIMARY KEY (role_id, skill_id)
);

CREATE TABLE role_languages (
    role_id UUID NOT NULL REFERENCES need_roles (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    min_level TEXT NOT NULL,
    PRIMARY KEY (role_id, language)
);

CREATE TABLE audit_events (
    id UUID PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id UUID NOT NULL,
    before_state TEXT,
    after_state TEXT
);
CREATE INDEX audit_events_object ON audit_events (object_id, id);

-- The audit log is append-only, whatever writes to the database.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
