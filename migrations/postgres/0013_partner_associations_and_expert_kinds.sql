-- Partner associations of municipalities in other countries (e.g. SKR for Sweden, FCM for Canada, with CEMR as
-- their umbrella), their member municipalities and contact; and what kind of person an expert is, so the pool
-- is not limited to municipal staff (a displaced Ukrainian with the needed skills, an interpreter).

CREATE TABLE partner_associations (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    umbrella_id UUID REFERENCES partner_associations (id),
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE partner_association_members (
    municipality_id UUID PRIMARY KEY REFERENCES municipalities (id),
    association_id UUID NOT NULL REFERENCES partner_associations (id)
);
CREATE INDEX partner_association_members_association ON partner_association_members (association_id);

ALTER TABLE experts ADD COLUMN kind TEXT NOT NULL DEFAULT 'MUNICIPAL_STAFF'
    CHECK (kind IN ('MUNICIPAL_STAFF', 'DISPLACED_PROFESSIONAL', 'INTERPRETER', 'OTHER'));
