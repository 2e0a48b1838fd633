-- An organisation may have a parent (上级机关), the body above it in the
-- organisation hierarchy. The casework guards read the hierarchy: a report
-- is not routed below the body it is about, and the repeat-filing guard
-- asks whether a matter is held above or below the registering organ.
-- NULL is a root. The store refuses a parent that would make a cycle.
ALTER TABLE organisations ADD COLUMN parent_id TEXT REFERENCES organisations (id) CHECK (parent_id <> id);
CREATE INDEX organisations_parent ON organisations (parent_id) WHERE parent_id IS NOT NULL;
