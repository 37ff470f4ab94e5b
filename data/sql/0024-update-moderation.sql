-- Moderating single updates of a report's timeline: an update can be hidden from
-- public output (Open311) while staff still see it, and its text edited; each
-- change is kept in the moderation history beside the report's own entries.
ALTER TABLE updates ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;

-- A moderation entry is about the report (update_id NULL) or one of its updates.
-- action: edit (text changed), hide, unhide.
ALTER TABLE moderation ADD COLUMN update_id INTEGER REFERENCES updates (id) ON DELETE CASCADE;
ALTER TABLE moderation ADD COLUMN action TEXT NOT NULL DEFAULT 'edit';
ALTER TABLE moderation ADD COLUMN old_text TEXT;
ALTER TABLE moderation ADD COLUMN new_text TEXT;
ALTER TABLE moderation ADD COLUMN old_hidden INTEGER;
ALTER TABLE moderation ADD COLUMN new_hidden INTEGER;
CREATE INDEX moderation_update ON moderation (update_id) WHERE update_id IS NOT NULL;
