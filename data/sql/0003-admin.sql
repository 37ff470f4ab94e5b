-- Kerbside: indexes for the admin API and the dashboard.

-- Deleting a priority asks whether reports use it (and the foreign key check does too).
CREATE INDEX reports_priority ON reports (priority_id) WHERE priority_id IS NOT NULL;

-- Dashboard: open reports nobody has acknowledged yet, per state.
CREATE INDEX reports_body_unacknowledged ON reports (body_id, state) WHERE acknowledged IS NULL;

-- Dashboard: when reports were fixed or closed (state changes, by state and time).
CREATE INDEX updates_state_created ON updates (state, created) WHERE state IS NOT NULL;

-- Audit log filtered by staff member, newest first.
CREATE INDEX audit_log_user ON audit_log (user_id, at);
