-- Kerbside: an update made from a response template that has an external status
-- code keeps that code, as it was then, for other systems (Open311
-- servicerequestupdates' external_status_code). NULL: none (the state is given).
ALTER TABLE updates ADD COLUMN external_status_code TEXT;
