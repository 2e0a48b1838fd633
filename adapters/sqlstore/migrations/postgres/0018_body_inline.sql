-- A case's body is about 6 KB of JSON, 2.2 KB once compressed: above the
-- 2 KB that PostgreSQL keeps in a row by default, so every version was
-- moved out of line into the TOAST table (two chunks and two entries in
-- its index written, and the previous version's two chunks deleted, at
-- each write; two more lookups at each read). Compressed rows of up to
-- 4 KB now stay in the row: the toaster still compresses a row above
-- 2 KB, and moves a value out of line only when the compressed row is
-- still above this target. Rows written before keep their out-of-line
-- values until rewritten; both read alike.
ALTER TABLE records SET (toast_tuple_target = 4096);
