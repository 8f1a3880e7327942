-- The rating table's key carries the rating itself (INCLUDE), so that a record's ratings are read from the key
-- alone, without a visit to the table for each. Questions that read a set of records and then their ratings
-- look them up by this key once per record: triangulation of a year for the SEND cohort looks up 118,000
-- records' ratings at 3 million records, 0.55-0.83 s of its 1.55-1.84 s in PostgreSQL, and 0.44-0.63 s of
-- 1.35-1.40 s from the key alone (7 December, by hand, the same index built beside the key).
--
-- The key is no larger: an entry of a bigint and a smallint is padded to 16 bytes, and the rating (an enum,
-- 4 bytes) fits in the padding (314 MB either way at 3 million records). A key read alone needs the table's pages
-- marked all-visible, which autovacuum does after a load (SQL/019); until then PostgreSQL visits the table as
-- before. A first load drops and rebuilds the key from its own definition (Sources/QALoad/BulkIndexes.swift).
ALTER TABLE qa.rating
    DROP CONSTRAINT rating_pkey,
    ADD CONSTRAINT rating_pkey PRIMARY KEY (evidence_pk, standard) INCLUDE (rating);
