-- The VNG Fund (docs/fund.md): pledges and the money received against them, grants with their screening and
-- approval, disbursements and the pledges each draws on, the recipients' reports, and programme budgets with
-- the expenses booked against them. Amounts are integer euro cents; balances are derived from these rows.

CREATE TABLE fund_pledges (
    id BLOB PRIMARY KEY NOT NULL,
    donor_kind TEXT NOT NULL CHECK (donor_kind IN ('MUNICIPALITY', 'PARTNER_ASSOCIATION', 'OTHER')),
    donor_municipality_id BLOB REFERENCES municipalities (id),
    donor_name TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('EMERGENCY_AID', 'RECONSTRUCTION', 'PEACEBUILDING', 'UNRESTRICTED')),
    earmark TEXT NOT NULL CHECK (earmark IN ('NONE', 'AUC_COORDINATION', 'HROMADA', 'PLAN')),
    earmark_municipality_id BLOB REFERENCES municipalities (id),
    earmark_plan_id BLOB REFERENCES recovery_plans (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    due_date TEXT,
    note TEXT,
    pledged_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    CHECK ((donor_kind = 'MUNICIPALITY') = (donor_municipality_id IS NOT NULL))
);
CREATE INDEX fund_pledges_donor ON fund_pledges (donor_municipality_id, created_at);

CREATE TABLE fund_receipts (
    id BLOB PRIMARY KEY NOT NULL,
    pledge_id BLOB NOT NULL REFERENCES fund_pledges (id),
    received_on TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    bank_reference TEXT NOT NULL,
    overpayment INTEGER NOT NULL,
    recorded_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX fund_receipts_pledge ON fund_receipts (pledge_id);

CREATE TABLE fund_grants (
    id BLOB PRIMARY KEY NOT NULL,
    recipient TEXT NOT NULL CHECK (recipient IN ('AUC', 'HROMADA')),
    recipient_municipality_id BLOB REFERENCES municipalities (id),
    plan_id BLOB REFERENCES recovery_plans (id),
    need_id BLOB REFERENCES needs (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('EMERGENCY_AID', 'RECONSTRUCTION', 'PEACEBUILDING')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    account_holder TEXT NOT NULL,
    account_iban TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PROPOSED', 'APPROVED', 'REJECTED', 'CLOSED')),
    decision_note TEXT,
    report_due TEXT,
    proposed_by BLOB NOT NULL REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    decided_by BLOB REFERENCES users (id),
    decided_at TEXT,
    report_due_noticed_at TEXT,
    report_overdue_noticed_at TEXT,
    CHECK ((recipient = 'HROMADA') = (recipient_municipality_id IS NOT NULL))
);
CREATE INDEX fund_grants_recipient ON fund_grants (recipient_municipality_id, proposed_at);

CREATE TABLE fund_screenings (
    grant_id BLOB NOT NULL REFERENCES fund_grants (id),
    check_kind TEXT NOT NULL CHECK (check_kind IN ('RECIPIENT_ON_REFERENCE_LIST', 'ACCOUNT_HOLDER_CHECKED',
        'NO_SANCTIONED_PARTY')),
    passed INTEGER NOT NULL,
    note TEXT NOT NULL,
    checked_by BLOB NOT NULL REFERENCES users (id),
    checked_at TEXT NOT NULL,
    PRIMARY KEY (grant_id, check_kind)
);

CREATE TABLE fund_disbursements (
    id BLOB PRIMARY KEY NOT NULL,
    grant_id BLOB NOT NULL REFERENCES fund_grants (id),
    tranche INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    paid_on TEXT NOT NULL,
    bank_reference TEXT NOT NULL,
    sent_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    confirmed_by BLOB REFERENCES users (id),
    confirmed_at TEXT,
    UNIQUE (grant_id, tranche)
);

-- Which pledges' received money each disbursement spends (docs/fund.md, "Which money a disbursement draws on").
CREATE TABLE fund_draws (
    disbursement_id BLOB NOT NULL REFERENCES fund_disbursements (id),
    pledge_id BLOB NOT NULL REFERENCES fund_pledges (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    PRIMARY KEY (disbursement_id, pledge_id)
);
CREATE INDEX fund_draws_pledge ON fund_draws (pledge_id);

CREATE TABLE fund_reports (
    id BLOB PRIMARY KEY NOT NULL,
    grant_id BLOB NOT NULL REFERENCES fund_grants (id),
    text TEXT NOT NULL,
    -- JSON: [{"label": …, "value": …, "unit": …}]
    figures TEXT NOT NULL,
    -- JSON: ["reference", …]
    attachments TEXT NOT NULL,
    reported_by BLOB REFERENCES users (id),
    reported_at TEXT NOT NULL
);
CREATE INDEX fund_reports_grant ON fund_reports (grant_id, reported_at);

CREATE TABLE fund_report_needs (
    report_id BLOB NOT NULL REFERENCES fund_reports (id),
    need_id BLOB NOT NULL REFERENCES needs (id),
    PRIMARY KEY (report_id, need_id)
);

CREATE TABLE programmes (
    id BLOB PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    funder TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE budget_lines (
    id BLOB PRIMARY KEY NOT NULL,
    programme_id BLOB NOT NULL REFERENCES programmes (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    UNIQUE (programme_id, code)
);

CREATE TABLE programme_expenses (
    id BLOB PRIMARY KEY NOT NULL,
    budget_line_id BLOB NOT NULL REFERENCES budget_lines (id),
    kind TEXT NOT NULL CHECK (kind IN ('TRAVEL', 'STAY', 'OTHER')),
    status TEXT NOT NULL CHECK (status IN ('COMMITTED', 'SPENT')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    description TEXT NOT NULL,
    booked_on TEXT NOT NULL,
    assignment_id BLOB REFERENCES assignments (id),
    plan_id BLOB REFERENCES recovery_plans (id),
    receipt_reference TEXT,
    booked_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX programme_expenses_line ON programme_expenses (budget_line_id);
CREATE INDEX programme_expenses_plan ON programme_expenses (plan_id);
