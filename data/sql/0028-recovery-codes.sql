-- Two-factor recovery codes: one-time codes given when two-factor sign-in is
-- turned on (and again on request), each usable once instead of an
-- authenticator code. Only bcrypt hashes are kept; used: when it was used (0: not yet).
CREATE TABLE recovery_codes (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL,
  created    INTEGER NOT NULL,
  used       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id, used);
