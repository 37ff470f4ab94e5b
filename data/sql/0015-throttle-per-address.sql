-- Failed sign-ins are throttled per account and client address pair, so that a
-- stranger's wrong guesses cannot lock the owner out: each failure against an
-- account keeps the address it came from. The account's total over every address
-- only slows sign-ins down, at a much higher count.
ALTER TABLE login_failures ADD COLUMN address TEXT;
CREATE INDEX login_failures_pair ON login_failures (scope, key, address, at);
