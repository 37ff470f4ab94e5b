-- Kerbside: data protection: email opt-outs, and indexes for finding everything
-- held about one person (right of access, termination).

-- Addresses that asked for no more emails (other than about their own account's
-- security). Only the lower-case hex SHA-256 of the lower-cased address is kept.
CREATE TABLE email_optouts (
  address_hash TEXT PRIMARY KEY,
  created      INTEGER NOT NULL
) WITHOUT ROWID;

-- The opt-out link of each email that carries one: a random token (kept only as
-- its SHA-256) that opts out the address the email went to, and no other.
CREATE TABLE email_optout_tokens (
  token_hash   TEXT PRIMARY KEY,
  address_hash TEXT NOT NULL,
  created      INTEGER NOT NULL
) WITHOUT ROWID;

-- One person's reports, updates and emails, by address whatever its case.
CREATE INDEX reports_reporter_email_nocase ON reports (reporter_email COLLATE NOCASE)
  WHERE reporter_email IS NOT NULL;
CREATE INDEX updates_author_email ON updates (author_email COLLATE NOCASE)
  WHERE author_email IS NOT NULL;
CREATE INDEX emails_recipient ON emails (recipient COLLATE NOCASE);

-- What a staff account wrote or holds, so that removing an account (and the
-- foreign key checks that come with it) does not scan whole tables.
CREATE INDEX updates_user ON updates (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX moderation_user ON moderation (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX reports_created_by ON reports (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX reports_acknowledged_by ON reports (acknowledged_by) WHERE acknowledged_by IS NOT NULL;
