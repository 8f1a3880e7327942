-- Finding a cohort's records without reading every record. A cohort filter matches a record naming the cohort in
-- any letter case (`--cohort send` finds "SEND"), which PostgreSQL could only test record by record: at 3 million
-- records the test alone took 1.7 s over two years' 2 million records, and PostgreSQL guessed that every record
-- matched, so cpd-needs' staff level for two years and the SEND cohort read the records in staff order (10.8 s).
--
-- qa.cohort_keys gives a record's cohorts in lower case (the text form of the array lowered and read back: each
-- element lowered as lower() lowers it, quoting unchanged). The filter tests `qa.cohort_keys(cohorts) @>
-- ARRAY[lower(value)]` (Sources/QAQuery/Filter.swift): the index below finds those records, and the statistics
-- tell PostgreSQL how many there are (with the index alone it guessed 15,000 of SEND's 355,000). A first load builds the index with the other indexes of qa.evidence (Sources/QALoad/BulkIndexes.swift).
--
-- In PL/pgSQL, not SQL: an SQL function is inlined only when its body is immutable, and the array's text form is
-- only stable in PostgreSQL's eyes (other element types print by settings), so it ran as a function call, 2.0 us
-- a record where the test is not read from the index (one term's 267,000 records: 0.63 s, 0.33 s in PL/pgSQL).
CREATE FUNCTION qa.cohort_keys(cohorts text[]) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN lower(cohorts::text)::text[];
END
$$;

CREATE INDEX evidence_cohort_keys ON qa.evidence USING gin (qa.cohort_keys(cohorts)) WHERE withdrawn_at IS NULL;

CREATE STATISTICS qa.evidence_cohort_keys_stats ON (qa.cohort_keys(cohorts)) FROM qa.evidence;

ANALYZE qa.evidence;
