-- Kerbside: an idempotency key answers again only the request it was first used
-- for. request_hash is the lower-case hex SHA-256 of the method, the path and the
-- body of that request; the same key with another body is refused (422). Answers
-- stored before this column came have none, and are replayed as before (they go
-- within a week).
ALTER TABLE idempotency ADD COLUMN request_hash TEXT;
