-- Sign-in by email carries no new password any more: a new password is chosen
-- only after every factor is proven, by the session that proved them.

-- Until reset_until, a session that signed in with an emailed code (and the
-- second factor when it is on) may set a new password without the current one,
-- once.
ALTER TABLE sessions ADD COLUMN reset_until INTEGER NOT NULL DEFAULT 0;

-- How the first factor of a two-factor challenge was proven: 'password' or 'email'.
ALTER TABLE login_challenges ADD COLUMN method TEXT NOT NULL DEFAULT 'password';

-- A password waiting on a code came from a request anyone could make: it never
-- takes effect.
UPDATE email_codes SET new_password_hash = NULL WHERE new_password_hash IS NOT NULL;
