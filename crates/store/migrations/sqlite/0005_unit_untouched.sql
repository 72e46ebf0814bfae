-- The untouched list of a unit (held by the administration, unchanged since a moment) is read
-- by unit, status and last change; without these it scans every held dossier of the city.
CREATE INDEX dossiers_receiving_untouched ON dossiers(receiving_unit_id, status, updated_at);
CREATE INDEX dossiers_competent_untouched ON dossiers(competent_unit_id, status, updated_at);
