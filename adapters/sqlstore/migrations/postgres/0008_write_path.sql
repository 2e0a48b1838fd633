-- The write path's storage costs.
--
-- A record's body is kept as the canonical JSON it was written as (json
-- keeps the text; jsonb kept the value but not the key order or spacing,
-- so every read had to canonicalise it again to hand back the bytes its
-- digest is of). Nothing queries inside bodies. Bodies converted here keep
-- jsonb's spelling until their next write; a read recognises them by a
-- digest that does not match and canonicalises them as before.
ALTER TABLE records ALTER COLUMN body TYPE json USING body::json;

-- The repeat-filing guard looks a matter up by its key (records.name) on
-- every registration: without this index it read every case of the kind.
CREATE INDEX records_kind_name ON records (kind, name, id);
