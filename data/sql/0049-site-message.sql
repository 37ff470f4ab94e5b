-- A council's site message: a banner every member of its staff sees
-- (out-of-hours notices and the like). NULL: none.
ALTER TABLE bodies ADD COLUMN site_message TEXT;
ALTER TABLE bodies ADD COLUMN site_message_until INTEGER;   -- NULL: until removed
