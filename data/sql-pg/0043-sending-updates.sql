-- The contractor's updates already applied to the report sent on to it, so that
-- each is applied once (update_id: the contractor's).
CREATE TABLE sending_updates (
  sending_id  bigint NOT NULL REFERENCES sendings (id) ON DELETE CASCADE,
  update_id   text NOT NULL,
  applied     bigint NOT NULL,
  PRIMARY KEY (sending_id, update_id)
);
