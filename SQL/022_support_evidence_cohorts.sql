-- cpd-needs' staff level for a cohort or a year group from qa.support_evidence (SQL/012), which gains its record's
-- cohorts and year groups. Before, such a question read every record of the cohort and looked its Amber and Red
-- ratings up in qa.rating: at 3 million records one year for SEND took 0.89 s in PostgreSQL (118,000 records read
-- from the wide records table, then 118,000 lookups), and the whole command 1.1-1.4 s.
--
-- The filter is written as over the base tables (Sources/QAQuery/Filter.swift): the record's arrays, with the
-- cohort keys of SQL/020 and an index on them here, so that a cohort's rows of one term or year are found directly.
--
-- Year groups get keys of the same kind here: qa.year_group_keys gives each year group of a row the keys `g:7`,
-- `y:2024:7` and `t:2024:spring:7`. An index on the bare year groups found every year's rows of a year group, the
-- year only a filter after it: a year for year 7 read 539,000 rows at 3 million records to keep 179,000 (0.43 s of
-- the staff level's 0.67 s; the whole command's median 1,174 ms, 943 ms with the keys). The records keep their
-- index on the bare year groups (SQL/004): the same keys there made a term's triangulation for year 10 slower
-- (0.35-0.41 -> 0.50-0.57 s, PostgreSQL reading the keys' index instead of the term's records) and a year's no
-- faster.
ALTER TABLE qa.support_evidence
    ADD COLUMN cohorts text[] NOT NULL DEFAULT '{}',
    ADD COLUMN year_groups smallint[] NOT NULL DEFAULT '{}';

-- As qa.cohort_keys (SQL/020), for year groups (numbers, so no case to fold). PL/pgSQL for the same reason.
CREATE FUNCTION qa.year_group_keys(year_groups smallint[], academic_year smallint, term text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    g smallint;
    keys text[] := '{}';
BEGIN
    FOREACH g IN ARRAY year_groups LOOP
        keys := keys || ARRAY['g:' || g, 'y:' || academic_year || ':' || g, 't:' || academic_year || ':' || term || ':' || g];
    END LOOP;
    RETURN keys;
END
$$;

CREATE INDEX support_evidence_cohort_keys ON qa.support_evidence USING gin (qa.cohort_keys(cohorts, academic_year, term));
CREATE INDEX support_evidence_year_group_keys ON qa.support_evidence
    USING gin (qa.year_group_keys(year_groups, academic_year, term));
CREATE STATISTICS qa.support_evidence_cohort_keys_stats ON (qa.cohort_keys(cohorts, academic_year, term))
    FROM qa.support_evidence;
CREATE STATISTICS qa.support_evidence_year_group_keys_stats ON (qa.year_group_keys(year_groups, academic_year, term))
    FROM qa.support_evidence;

-- As in SQL/012, with the record's cohorts and year groups.
CREATE OR REPLACE FUNCTION qa.incoming_support_evidence() RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN $sql$
        SELECT i.evidence_pk, u.standard::smallint, u.rating::qa.ragg, i.evidence_id, i.school_id, i.subject_id,
               i.staff_id, i.activity, i.activity_date, i.academic_year, i.term, i.cohorts, i.year_groups
          FROM pg_temp.incoming i CROSS JOIN LATERAL unnest(i.ratings) WITH ORDINALITY AS u(rating, standard)
         WHERE i.change IN ('new', 'changed') AND i.staff_id IS NOT NULL AND u.rating::text IN ('amber', 'red')$sql$;

-- As in SQL/012, with the record's cohorts and year groups, and every index of the table dropped while it is
-- filled and built again afterwards (SQL/012 dropped only the two it knew of; the GIN indexes above cost most
-- row by row).
CREATE OR REPLACE FUNCTION qa.fill_support_evidence(source text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET maintenance_work_mem = '512MB' AS $$
DECLARE
    -- Built again from their own definitions, as they were dropped.
    key_definition CONSTANT text := (SELECT pg_get_constraintdef(oid) FROM pg_constraint
                                      WHERE conrelid = 'qa.support_evidence'::regclass AND contype = 'p');
    index_definitions CONSTANT text[] := ARRAY(
        SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
         WHERE i.indrelid = 'qa.support_evidence'::regclass AND NOT i.indisprimary ORDER BY i.indexrelid);
    index_names CONSTANT text[] := ARRAY(
        SELECT i.indexrelid::regclass::text FROM pg_index i
         WHERE i.indrelid = 'qa.support_evidence'::regclass AND NOT i.indisprimary ORDER BY i.indexrelid);
    name text;
    definition text;
BEGIN
    TRUNCATE qa.support_evidence;
    ALTER TABLE qa.support_evidence DROP CONSTRAINT support_evidence_pkey;
    FOREACH name IN ARRAY index_names LOOP
        EXECUTE 'DROP INDEX ' || name;
    END LOOP;
    IF source = 'incoming' THEN
        EXECUTE 'INSERT INTO qa.support_evidence ' || qa.incoming_support_evidence();
    ELSIF source = 'stored' THEN
        INSERT INTO qa.support_evidence
        SELECT e.evidence_pk, r.standard, r.rating, e.evidence_id, e.school_id, e.subject_id, e.staff_id,
               e.activity, e.activity_date, e.academic_year, e.term, e.cohorts, e.year_groups
          FROM qa.rating r JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
         WHERE r.rating IN ('amber', 'red') AND e.withdrawn_at IS NULL AND e.staff_id IS NOT NULL;
    ELSE
        RAISE EXCEPTION 'fill_support_evidence: unknown source %', source;
    END IF;
    EXECUTE 'ALTER TABLE qa.support_evidence ADD CONSTRAINT support_evidence_pkey ' || key_definition;
    FOREACH definition IN ARRAY index_definitions LOOP
        EXECUTE definition;
    END LOOP;
    ANALYZE qa.support_evidence;
END
$$;

-- Fill it again, with the cohorts and year groups of the records already loaded.
SELECT qa.fill_support_evidence('stored');
