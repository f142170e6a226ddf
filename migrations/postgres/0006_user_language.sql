-- Each user's language: the web client's, and the one their notifications and e-mails are written in.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'nl', 'uk'));
