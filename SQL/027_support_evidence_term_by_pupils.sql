-- cpd-needs' staff level for a cohort or a year group with only the fields qa.support_evidence_term (013) keeps
-- (academic year, term, staff member, standard) from tables grouped as that one is, under each cohort or year group.
-- Before, such a question read each Amber and Red rating of the cohort from qa.support_evidence (012, 022) and
-- grouped them: at 3 million records (7 December, by hand) a year for the records naming no cohort read 484,000
-- ratings and took 1.3-1.5 s (the whole command), for records naming no year group 0.9-1.0 s. From these tables,
-- on a slower machine, 2.0 -> 0.95 s and 1.18 -> 0.62 s (docs/PERFORMANCE.md, 12:40).
--
-- One row per academic year, term, cohort (in lower case, each once for a record, as the filter matches it;
-- 'unspecified' for none) or year group (NULL for none), staff member, standard and school, with the counts of
-- Red and Amber ratings and the evidence ids behind them, in date order, in 013's text form.
--
-- The ids cannot be taken away from a list, so a load groups again the rows of every key (year, term, staff
-- member, standard, school) its change touched, under every cohort or year group, as 013 does for its table.
CREATE TABLE qa.support_evidence_cohort_term (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    staff_id      integer NOT NULL,
    standard      smallint NOT NULL,
    school_id     integer NOT NULL,
    cohort        text NOT NULL,
    red           integer NOT NULL,
    amber         integer NOT NULL,
    evidence_ids  text NOT NULL
);
CREATE TABLE qa.support_evidence_year_group_term (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    staff_id      integer NOT NULL,
    standard      smallint NOT NULL,
    school_id     integer NOT NULL,
    year_group    smallint,
    red           integer NOT NULL,
    amber         integer NOT NULL,
    evidence_ids  text NOT NULL
);
-- 013's key, then the cohort or year group: a load's keys find all their cohorts' or year groups' rows.
CREATE UNIQUE INDEX support_evidence_cohort_term_key ON qa.support_evidence_cohort_term
    (academic_year, term, staff_id, standard, school_id, cohort);
CREATE UNIQUE INDEX support_evidence_year_group_term_key ON qa.support_evidence_year_group_term
    (academic_year, term, staff_id, standard, school_id, year_group) NULLS NOT DISTINCT;
-- A question names a year (perhaps a term) and the cohort or year group; the filter compares the cohort in lower
-- case (the stored text is already lowered).
CREATE INDEX support_evidence_cohort_term_cohort ON qa.support_evidence_cohort_term (academic_year, lower(cohort), term);
CREATE INDEX support_evidence_year_group_term_year_group ON qa.support_evidence_year_group_term
    (academic_year, year_group, term);
-- Vacuumed and analysed after 1% of their rows change, as every table since 019.
ALTER TABLE qa.support_evidence_cohort_term SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE qa.support_evidence_year_group_term SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);

-- The rows of one table, grouped from `source` (qa.support_evidence, or a load's copy of the rows it groups again):
-- 'term' for 013's table (as 013's qa.support_evidence_term_rows grouped them; that function is dropped below, this
-- one takes its place), 'cohort' or 'year_group' for these, under each member of the row's record.
CREATE FUNCTION qa.support_evidence_grouped(pupils text, source regclass) RETURNS text
    LANGUAGE sql STABLE
    RETURN 'SELECT s.academic_year, s.term, s.staff_id, s.standard, s.school_id,'
        || CASE WHEN pupils = 'term' THEN '' ELSE ' m.member,' END
        || ' count(*) FILTER (WHERE s.rating = ''red''), count(*) FILTER (WHERE s.rating = ''amber''),'
        || ' qa.array_items_text(array_agg(s.evidence_id ORDER BY s.activity_date, s.evidence_id))'
        || ' FROM ' || source::text || ' s'
        -- Each cohort in lower case once, or 'unspecified'; each year group once, or NULL. Most rows name one or
        -- none, which need no sorting out.
        || CASE pupils
            WHEN 'term' THEN ''
            WHEN 'cohort' THEN ' CROSS JOIN LATERAL unnest(CASE cardinality(s.cohorts) WHEN 0 THEN ARRAY[''unspecified''] '
                               || 'WHEN 1 THEN ARRAY[lower(s.cohorts[1])] '
                               || 'ELSE ARRAY(SELECT DISTINCT lower(x) FROM unnest(s.cohorts) AS x) END) AS m(member)'
            ELSE ' CROSS JOIN LATERAL unnest(CASE cardinality(s.year_groups) WHEN 0 THEN ARRAY[NULL::smallint] '
                 || 'WHEN 1 THEN s.year_groups ELSE ARRAY(SELECT DISTINCT x FROM unnest(s.year_groups) AS x) END) AS m(member)'
            END
        || ' GROUP BY s.academic_year, s.term, s.staff_id, s.standard, s.school_id'
        || CASE WHEN pupils = 'term' THEN '' ELSE ', m.member' END;

-- 013's fill, and both tables filled whole the same way (their indexes dropped while they are filled; 013's table
-- keeps its primary key).
CREATE OR REPLACE FUNCTION qa.fill_support_evidence_term() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '256MB' SET maintenance_work_mem = '512MB' AS $$
DECLARE
    pupils text;
    grain text;
    index_definitions text[];
    index_names text[];
    name text;
    definition text;
BEGIN
    TRUNCATE qa.support_evidence_term;
    EXECUTE 'INSERT INTO qa.support_evidence_term ' || qa.support_evidence_grouped('term', 'qa.support_evidence');
    ANALYZE qa.support_evidence_term;
    FOREACH pupils IN ARRAY ARRAY['cohort', 'year_group'] LOOP
        grain := 'support_evidence_' || pupils || '_term';
        index_definitions := ARRAY(SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                                    WHERE i.indrelid = format('qa.%I', grain)::regclass ORDER BY i.indexrelid);
        index_names := ARRAY(SELECT i.indexrelid::regclass::text FROM pg_index i
                              WHERE i.indrelid = format('qa.%I', grain)::regclass ORDER BY i.indexrelid);
        EXECUTE format('TRUNCATE qa.%I', grain);
        FOREACH name IN ARRAY index_names LOOP
            EXECUTE 'DROP INDEX ' || name;
        END LOOP;
        EXECUTE format('INSERT INTO qa.%I ', grain) || qa.support_evidence_grouped(pupils, 'qa.support_evidence');
        FOREACH definition IN ARRAY index_definitions LOOP
            EXECUTE definition;
        END LOOP;
        EXECUTE format('ANALYZE qa.%I', grain);
    END LOOP;
END
$$;

-- What a load calls once its records are written: 013's upkeep, restated with both tables grouped again for the
-- same keys (those of the rows its changed and withdrawn records took away, and of the rows its new and changed
-- records added). The rows of those keys are read from qa.support_evidence once, into a temporary table that all
-- three groupings read (at 3 million records, a 1% change spread over every school touches 35,000 keys and
-- 312,000 rows: read by index three times, 1.6 s each). Any of the three tables empty: all filled whole.
CREATE OR REPLACE FUNCTION qa.apply_support_evidence_change(batch bigint, withdrawn boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- Room to sort the keys' rows in memory (they spilled to disk with the default 4 MB); JIT compiled each grouping
    -- for 0.2-0.4 s, longer than it saved.
    SET work_mem = '256MB' SET jit = off AS $$
DECLARE
    pupils text;
    grain text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM qa.support_evidence) OR NOT EXISTS (SELECT 1 FROM qa.support_evidence_term)
       OR NOT EXISTS (SELECT 1 FROM qa.support_evidence_cohort_term)
       OR NOT EXISTS (SELECT 1 FROM qa.support_evidence_year_group_term) THEN
        PERFORM qa.apply_support_evidence_rows(batch, withdrawn);
        PERFORM qa.fill_support_evidence_term();
        RETURN;
    END IF;
    -- Before: the keys of the rows about to go (changed and withdrawn records, as they were).
    CREATE TEMP TABLE support_term_keys ON COMMIT DROP AS
    SELECT s.academic_year, s.term, s.staff_id, s.standard, s.school_id
      FROM qa.support_evidence s
     WHERE s.evidence_pk IN (SELECT i.evidence_pk FROM pg_temp.incoming i WHERE i.change = 'changed')
        OR (withdrawn AND s.evidence_pk IN (SELECT e.evidence_pk FROM qa.evidence e WHERE e.withdrawn_batch = batch));
    PERFORM qa.apply_support_evidence_rows(batch, withdrawn);
    -- After: the keys of the rows just added (new and changed records, as they are now).
    EXECUTE 'INSERT INTO pg_temp.support_term_keys SELECT academic_year, term, staff_id, standard, school_id FROM ('
        || qa.incoming_support_evidence() || ') n';
    -- Every row those keys now hold, once.
    CREATE TEMP TABLE support_term_rows ON COMMIT DROP AS
    SELECT s.academic_year, s.term, s.staff_id, s.standard, s.school_id, s.rating, s.evidence_id, s.activity_date,
           s.cohorts, s.year_groups
      FROM qa.support_evidence s
      JOIN (SELECT DISTINCT * FROM pg_temp.support_term_keys) k USING (academic_year, term, staff_id, standard, school_id);
    ANALYZE pg_temp.support_term_rows;
    FOREACH pupils IN ARRAY ARRAY['term', 'cohort', 'year_group'] LOOP
        grain := CASE pupils WHEN 'term' THEN 'support_evidence_term' ELSE 'support_evidence_' || pupils || '_term' END;
        EXECUTE format($sql$
            DELETE FROM qa.%I t
             USING pg_temp.support_term_keys k
             WHERE (t.academic_year, t.term, t.staff_id, t.standard, t.school_id)
                 = (k.academic_year, k.term, k.staff_id, k.standard, k.school_id)
            $sql$, grain);
        EXECUTE format('INSERT INTO qa.%I ', grain) || qa.support_evidence_grouped(pupils, 'pg_temp.support_term_rows');
    END LOOP;
    DROP TABLE pg_temp.support_term_keys, pg_temp.support_term_rows;
END
$$;

-- Nothing calls 013's grouping any more: both functions above group with qa.support_evidence_grouped.
DROP FUNCTION qa.support_evidence_term_rows(regclass);

-- Who may read them: as 013's table, school by school.
SELECT qa.protect_by_school('qa.support_evidence_cohort_term', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.support_evidence_year_group_term', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.support_evidence_cohort_term, qa.support_evidence_year_group_term
    TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.support_evidence_cohort_term, qa.support_evidence_year_group_term TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.support_evidence_grouped(text, regclass) FROM PUBLIC;

-- Fill them from the records already loaded (013's table too: one function fills all three).
SELECT qa.fill_support_evidence_term();
