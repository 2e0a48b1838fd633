-- The write path's storage costs.
--
-- The repeat-filing guard looks a matter up by its key (records.name) on
-- every registration: without this index it read every case of the kind.
CREATE INDEX records_kind_name ON records (kind, name, id);
