-- Each person's rights over their data: consent to being in the pool can be withdrawn (and when it was is kept),
-- leaving the pool starts the retention period after which contact details are erased, and an erased person's
-- rows say when they were erased.
ALTER TABLE experts ADD COLUMN consent_withdrawn_at TEXT;
ALTER TABLE experts ADD COLUMN left_at TEXT;
ALTER TABLE experts ADD COLUMN contact_erased_at TEXT;
ALTER TABLE experts ADD COLUMN erased_at TEXT;
ALTER TABLE users ADD COLUMN erased_at TEXT;
UPDATE experts SET left_at = updated_at WHERE status = 'WITHDRAWN';
CREATE INDEX experts_left ON experts (left_at) WHERE contact_erased_at IS NULL;
