-- Every request a sending made at its contractor (a resend makes a new one): the
-- contractor's updates are read for all of them, the old ones too.
CREATE TABLE sending_remote_ids (
  sending_id  bigint NOT NULL REFERENCES sendings (id) ON DELETE CASCADE,
  remote_id   text COLLATE "C" NOT NULL,
  created     bigint NOT NULL,
  PRIMARY KEY (sending_id, remote_id)
);
INSERT INTO sending_remote_ids (sending_id, remote_id, created)
  SELECT id, remote_id, COALESCE (sent, updated) FROM sendings WHERE remote_id IS NOT NULL;
