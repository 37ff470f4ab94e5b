-- Each report's rendered sync item (its JSON object without the reporter, the
-- same bytes for every caller), kept so that a sync or a list copies it instead
-- of reading the answers and photos and writing the JSON again. The list item is
-- the first list_len bytes followed by "}".
--
-- A fragment is kept only while it is fresh: every change to anything rendered
-- into it deletes it in the same transaction (the triggers below), and a sync
-- renders the reports that have none and keeps them (only when the report's seq
-- is still the one rendered). Databases from before start with none: the first
-- sync fills them.
CREATE TABLE report_fragments (
  report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL,   -- the report's seq when it was rendered
  list_len  INTEGER NOT NULL,
  body      TEXT NOT NULL
);

-- The report itself: any column.
CREATE TRIGGER report_fragments_report AFTER UPDATE ON reports BEGIN
  DELETE FROM report_fragments WHERE report_id = OLD.id;
END;
CREATE TRIGGER report_fragments_report_gone AFTER DELETE ON reports BEGIN
  DELETE FROM report_fragments WHERE report_id = OLD.id;
END;

-- The category's name and group.
CREATE TRIGGER report_fragments_category AFTER UPDATE OF name, group_name ON categories
WHEN OLD.name IS NOT NEW.name OR OLD.group_name IS NOT NEW.group_name BEGIN
  DELETE FROM report_fragments WHERE report_id IN (SELECT id FROM reports WHERE category_id = NEW.id);
END;

-- The name of the staff member who acknowledged it.
CREATE TRIGGER report_fragments_staff AFTER UPDATE OF name ON users
WHEN OLD.name IS NOT NEW.name BEGIN
  DELETE FROM report_fragments WHERE report_id IN (SELECT id FROM reports WHERE acknowledged_by = NEW.id);
END;
CREATE TRIGGER report_fragments_staff_gone AFTER DELETE ON users BEGIN
  DELETE FROM report_fragments WHERE report_id IN (SELECT id FROM reports WHERE acknowledged_by = OLD.id);
END;

-- Its answers.
CREATE TRIGGER report_fragments_answer_new AFTER INSERT ON report_attributes BEGIN
  DELETE FROM report_fragments WHERE report_id = NEW.report_id;
END;
CREATE TRIGGER report_fragments_answer AFTER UPDATE ON report_attributes BEGIN
  DELETE FROM report_fragments WHERE report_id IN (OLD.report_id, NEW.report_id);
END;
CREATE TRIGGER report_fragments_answer_gone AFTER DELETE ON report_attributes BEGIN
  DELETE FROM report_fragments WHERE report_id = OLD.report_id;
END;

-- Its photos, and whether each is redacted.
CREATE TRIGGER report_fragments_photo_new AFTER INSERT ON photos BEGIN
  DELETE FROM report_fragments WHERE report_id = NEW.report_id;
END;
CREATE TRIGGER report_fragments_photo AFTER UPDATE ON photos BEGIN
  DELETE FROM report_fragments WHERE report_id IN (OLD.report_id, NEW.report_id);
END;
CREATE TRIGGER report_fragments_photo_gone AFTER DELETE ON photos BEGIN
  DELETE FROM report_fragments WHERE report_id = OLD.report_id;
END;
CREATE TRIGGER report_fragments_redaction_new AFTER INSERT ON moderation
WHEN NEW.new_photo IS NOT NULL BEGIN
  DELETE FROM report_fragments WHERE report_id = NEW.report_id
    OR report_id IN (SELECT report_id FROM photos WHERE ref = NEW.new_photo);
END;
CREATE TRIGGER report_fragments_redaction AFTER UPDATE ON moderation BEGIN
  DELETE FROM report_fragments WHERE report_id IN (OLD.report_id, NEW.report_id)
    OR report_id IN (SELECT report_id FROM photos WHERE ref IN (OLD.new_photo, NEW.new_photo));
END;
CREATE TRIGGER report_fragments_redaction_gone AFTER DELETE ON moderation
WHEN OLD.new_photo IS NOT NULL BEGIN
  DELETE FROM report_fragments WHERE report_id = OLD.report_id
    OR report_id IN (SELECT report_id FROM photos WHERE ref = OLD.new_photo);
END;
