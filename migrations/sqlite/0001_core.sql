-- The pool's core: municipalities, skills, users, experts, plans, needs and the audit log.
-- UUIDs are 16-byte blobs, dates 'YYYY-MM-DD' text, timestamps RFC 3339 text, booleans 0/1.

CREATE TABLE municipalities (
    id BLOB PRIMARY KEY NOT NULL,
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
    latitude REAL,
    longitude REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX municipalities_country_name ON municipalities (country, name, id);

CREATE TABLE skills (
    id BLOB PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_nl TEXT NOT NULL,
    label_uk TEXT NOT NULL,
    esco_group TEXT
);

CREATE TABLE experts (
    id BLOB PRIMARY KEY NOT NULL,
    municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    job_title TEXT NOT NULL,
    bio TEXT,
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 40),
    available_from TEXT NOT NULL,
    available_until TEXT,
    remote INTEGER NOT NULL,
    on_site INTEGER NOT NULL,
    hosting INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'WITHDRAWN')),
    consent_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX experts_municipality ON experts (municipality_id, id);

CREATE TABLE expert_skills (
    expert_id BLOB NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    skill_id BLOB NOT NULL REFERENCES skills (id),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    years INTEGER,
    PRIMARY KEY (expert_id, skill_id)
);
CREATE INDEX expert_skills_skill ON expert_skills (skill_id, level);

CREATE TABLE expert_languages (
    expert_id BLOB NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    level TEXT NOT NULL,
    PRIMARY KEY (expert_id, language)
);

CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    municipality_id BLOB REFERENCES municipalities (id),
    expert_id BLOB REFERENCES experts (id),
    status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
    created_at TEXT NOT NULL
);

CREATE TABLE recovery_plans (
    id BLOB PRIMARY KEY NOT NULL,
    municipality_id BLOB NOT NULL REFERENCES municipalities (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    sectors TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    programme TEXT,
    status TEXT NOT NULL CHECK (status IN ('DRAFT', 'SUBMITTED', 'ENDORSED', 'CLOSED')),
    return_reason TEXT,
    created_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX recovery_plans_municipality ON recovery_plans (municipality_id, id);

CREATE TABLE needs (
    id BLOB PRIMARY KEY NOT NULL,
    plan_id BLOB NOT NULL REFERENCES recovery_plans (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    sector TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    remote INTEGER NOT NULL,
    on_site INTEGER NOT NULL,
    hosting INTEGER NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    status TEXT NOT NULL CHECK (status IN ('DRAFT', 'OPEN', 'FILLED', 'CLOSED', 'CANCELLED')),
    dream_project_id TEXT,
    created_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX needs_plan ON needs (plan_id, id);
CREATE INDEX needs_status ON needs (status, id);

CREATE TABLE need_roles (
    id BLOB PRIMARY KEY NOT NULL,
    need_id BLOB NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 20),
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 40),
    interpreter_available INTEGER NOT NULL
);
CREATE INDEX need_roles_need ON need_roles (need_id, position);

CREATE TABLE role_skills (
    role_id BLOB NOT NULL REFERENCES need_roles (id) ON DELETE CASCADE,
    skill_id BLOB NOT NULL REFERENCES skills (id),
    min_level INTEGER NOT NULL CHECK (min_level BETWEEN 1 AND 5),
    essential INTEGER NOT NULL,
    PRIMARY KEY (role_id, skill_id)
);

CREATE TABLE role_languages (
    role_id BLOB NOT NULL REFERENCES need_roles (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    min_level TEXT NOT NULL,
    PRIMARY KEY (role_id, language)
);

CREATE TABLE audit_events (
    id BLOB PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    actor_id BLOB,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BLOB NOT NULL,
    before_state TEXT,
    after_state TEXT
);
CREATE INDEX audit_events_object ON audit_events (object_id, id);

-- The audit log is append-only, whatever writes to the database.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
