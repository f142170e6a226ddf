-- An optional second factor (TOTP, RFC 6238) for admins and fund officers: the shared secret (base32), when it
-- was confirmed (until then it is only proposed), and the last time step used, so that no code works twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
