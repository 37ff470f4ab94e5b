-- Photos stored by the server are referenced as '/api/v1/media/NAME' from reports,
-- updates and the moderation history. Serving one checks who may see it by looking
-- the reference up, so these lookups need indexes (only rows with a photo).
CREATE INDEX reports_photo ON reports (photo, body_id) WHERE photo IS NOT NULL;
CREATE INDEX updates_photo ON updates (photo) WHERE photo IS NOT NULL;
CREATE INDEX moderation_old_photo ON moderation (old_photo) WHERE old_photo IS NOT NULL;
