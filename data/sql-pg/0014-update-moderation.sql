-- Kerbside on PostgreSQL: moderating single updates of a report's timeline: an
-- update can be hidden from public output (Open311) while staff still see it, and
-- its text edited; each change is kept in the moderation history beside the
-- report's own entries.
ALTER TABLE updates ADD COLUMN hidden integer NOT NULL DEFAULT 0;

-- A moderation entry is about the report (update_id NULL) or one of its updates.
-- action: edit (text changed), hide, unhide.
ALTER TABLE moderation ADD COLUMN update_id bigint REFERENCES updates (id) ON DELETE CASCADE;
ALTER TABLE moderation ADD COLUMN action text NOT NULL DEFAULT 'edit';
ALTER TABLE moderation ADD COLUMN old_text text;
ALTER TABLE moderation ADD COLUMN new_text text;
ALTER TABLE moderation ADD COLUMN old_hidden integer;
ALTER TABLE moderation ADD COLUMN new_hidden integer;
CREATE INDEX moderation_update ON moderation (update_id) WHERE update_id IS NOT NULL;
