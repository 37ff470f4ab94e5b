-- Remember the state a report was in when it was hidden, so that unhiding
-- restores exactly that state whichever path hid it (staff API or Open311).
ALTER TABLE reports ADD COLUMN state_before_hide TEXT;

CREATE TRIGGER reports_remember_state_before_hide
AFTER UPDATE OF state ON reports
WHEN new.state = 'hidden' AND old.state != 'hidden'
BEGIN
  UPDATE reports SET state_before_hide = old.state WHERE id = new.id;
END;
