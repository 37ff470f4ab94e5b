-- The daily retention job (docs/admin.md, "Keeping only what is needed").
-- Staff accounts not used for this many days are deactivated (0: never).
ALTER TABLE bodies ADD COLUMN retention_staff_days INTEGER NOT NULL DEFAULT 0;
-- The day (Unix time / 86400) of the job's last run: it runs once a day, on one
-- instance, whichever takes the day first.
INSERT INTO meta (key, value) VALUES ('retention_day', 0);
