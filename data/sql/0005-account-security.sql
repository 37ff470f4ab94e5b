-- Two-factor sign-in challenges and sign-in-by-email codes.

-- After a correct password (or email code) for an account with two-factor
-- authentication, the client gets a short-lived challenge to present with a code.
CREATE TABLE login_challenges (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  created     INTEGER NOT NULL,
  expires     INTEGER NOT NULL,
  used        INTEGER NOT NULL DEFAULT 0
);

-- Single-use sign-in codes sent by email (valid one day). A new password chosen
-- this way waits here until the code is confirmed.
CREATE TABLE email_codes (
  id                 INTEGER PRIMARY KEY,
  user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash          TEXT NOT NULL,
  link_hash          TEXT NOT NULL UNIQUE,
  new_password_hash  TEXT,
  created            INTEGER NOT NULL,
  expires            INTEGER NOT NULL,
  used               INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX email_codes_user ON email_codes (user_id, expires);
