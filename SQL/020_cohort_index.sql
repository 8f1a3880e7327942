-- Finding a cohort's records without reading every record. A cohort filter matches a record naming the cohort in
-- any letter case (`--cohort send` finds "SEND"), which PostgreSQL could only test record by record: at 3 million
-- records the test alone took 1.7 s over two years' 2 million records, and PostgreSQL guessed that every record
-- matched, so cpd-needs' staff level for two years and the SEND cohort read the records in staff order (10.8 s).
--
-- qa.cohort_keys gives each cohort a record names three keys, in lower case: the cohort (`c:send`), the cohort in the
-- record's academic year (`y:2024:send`) and in its term (`t:2024:spring:send`). The filter asks for the one key
-- its period allows (Sources/QAQuery/Filter.swift, `recordCohort`), so the index below finds a cohort's records of
-- one term or year directly (a term for SEND: 32,000 records, where reading the term's 267,000 and testing each
-- cost 0.19 s of 0.6), and the statistics tell PostgreSQL how many there are (with the index alone it guessed
-- 15,000 of SEND's 355,000). The prefixes keep the keys apart whatever a cohort is called: the year is digits and
-- the term one of three words, so a key names one cohort, year and term only. Names are lowered as lower() lowers
-- them: the array's text form lowered and read back, quoting unchanged.
--
-- In PL/pgSQL, not SQL: an SQL function is inlined only when its body is immutable, and the array's text form is
-- only stable in PostgreSQL's eyes (other element types print by settings), so it ran as a function call, slower
-- than PL/pgSQL where the keys are not read from the index (one term's 267,000 records: 0.63 s against 0.33 s
-- for the lowered names alone). A first load builds the index with the other indexes of qa.evidence
-- (Sources/QALoad/BulkIndexes.swift).
CREATE FUNCTION qa.cohort_keys(cohorts text[], academic_year smallint, term text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    name text;
    keys text[] := '{}';
BEGIN
    FOREACH name IN ARRAY lower(cohorts::text)::text[] LOOP
        keys := keys || ARRAY['c:' || name, 'y:' || academic_year || ':' || name,
                              't:' || academic_year || ':' || term || ':' || name];
    END LOOP;
    RETURN keys;
END
$$;

CREATE INDEX evidence_cohort_keys ON qa.evidence USING gin (qa.cohort_keys(cohorts, academic_year, term))
    WHERE withdrawn_at IS NULL;

CREATE STATISTICS qa.evidence_cohort_keys_stats ON (qa.cohort_keys(cohorts, academic_year, term)) FROM qa.evidence;

ANALYZE qa.evidence;
