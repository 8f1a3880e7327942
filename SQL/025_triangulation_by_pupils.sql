-- `query triangulation` for a cohort or a year group from tables the loads keep, as the triangulation summary
-- (010) answers it for every pupil. Over the base tables a year's triangulation for a cohort read the cohort's
-- records and looked up each of their ratings: at 3 million records (7 December, by hand, medians of 5) 0.95-1.1 s
-- for the Disadvantaged or SEND cohort or year 11, and 3.6-4.0 s for the records naming no cohort (over half of
-- them). From a table like this one, built by hand, the same answers took 0.34 s and 0.43 s in PostgreSQL.
--
-- One row per academic year, term, cohort (or year group), school, subject, deep dive (NULL outside deep dives)
-- and standard: the summary's grain with the record's cohort, counted under each cohort the record names and
-- under 'unspecified' when it names none, as qa.rating_cohort_summary counts ratings (year groups: each year group,
-- NULL for none, as qa.rating_year_group_summary). A cohort is kept in lower case, as the filter matches it: two
-- records of one group naming "SEND" and "send" are then one row, so that within one term a row is still one
-- group and standard. `ratings` are the ratings its activities gave, as the bits
-- `query triangulation` groups (Sources/QAQuery/TriangulationRatings.swift): bit 4 x (the activity's place) +
-- score - 1, which is qa.triangulation_column.
--
-- Bits, not counts, cannot be taken away from: a load computes again, from the base tables, every row of the
-- groups its change touches (a school, subject, deep dive, year and term; every cohort of it), as 014 does for
-- the year table. Counts would have been 32 columns a row (4 million rows at 3 million records for the cohorts).
CREATE TABLE qa.triangulation_cohort_summary (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    cohort        text NOT NULL,
    school_id     integer NOT NULL,
    subject_id    integer,
    deep_dive_id  text,
    standard      smallint NOT NULL,
    ratings       bigint NOT NULL
);
CREATE TABLE qa.triangulation_year_group_summary (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    year_group    smallint,
    school_id     integer NOT NULL,
    subject_id    integer,
    deep_dive_id  text,
    standard      smallint NOT NULL,
    ratings       bigint NOT NULL
);
-- Vacuumed and analysed after 1% of their rows change, as every table since 019.
ALTER TABLE qa.triangulation_cohort_summary SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE qa.triangulation_year_group_summary SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
-- A question names a year (and perhaps a term) and the cohort or year group; the filter compares the cohort in lower
-- case. The rows are filled in this order, so one cohort's year lies on few pages.
CREATE INDEX triangulation_cohort_summary_cohort ON qa.triangulation_cohort_summary (academic_year, lower(cohort), term);
CREATE INDEX triangulation_year_group_summary_year_group ON qa.triangulation_year_group_summary
    (academic_year, year_group, term);

-- The rows (as the table's columns) of `pupils` ('cohort' or 'year_group') computed from `source`: 'stored' (the
-- records in use and their ratings) or 'incoming' (the new and changed records of the load under way, a first
-- load). With `keys` (a relation of academic_year, term, school_id, subject_key: the subject or -1, deep_dive_id),
-- only the rows of those groups, from the stored records.
CREATE FUNCTION qa.triangulation_pupil_rows(pupils text, source text, keys regclass) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    members text := CASE pupils
        WHEN 'cohort' THEN 'unnest(CASE WHEN cardinality(e.cohorts) = 0 THEN ARRAY[''unspecified''] ELSE e.cohorts END)'
        WHEN 'year_group' THEN 'unnest(CASE WHEN cardinality(e.year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE e.year_groups END)'
    END;
    member text := CASE pupils WHEN 'cohort' THEN 'lower(p.member)' ELSE 'p.member' END;
    ratings text;
    restriction text := '';
BEGIN
    IF members IS NULL OR source NOT IN ('stored', 'incoming') OR (keys IS NOT NULL AND source <> 'stored') THEN
        RAISE EXCEPTION 'no triangulation rows for pupils "%" from "%"', pupils, source;
    END IF;
    ratings := CASE source
        WHEN 'stored' THEN 'qa.evidence e JOIN qa.rating r ON r.evidence_pk = e.evidence_pk'
        ELSE 'pg_temp.incoming e CROSS JOIN LATERAL (SELECT u.standard::smallint AS standard, u.rating::qa.ragg AS rating'
             || ' FROM unnest(e.ratings) WITH ORDINALITY AS u(rating, standard) WHERE u.rating IS NOT NULL) r'
    END;
    IF keys IS NOT NULL THEN
        restriction := format(
            ' AND CASE WHEN e.deep_dive_id IS NULL'
            || ' THEN (e.academic_year, e.term, e.school_id, coalesce(e.subject_id, -1)) IN'
            || ' (SELECT k.academic_year, k.term, k.school_id, k.subject_key FROM %1$s k WHERE k.deep_dive_id IS NULL)'
            || ' ELSE (e.academic_year, e.term, e.school_id, coalesce(e.subject_id, -1), e.deep_dive_id) IN'
            || ' (SELECT k.academic_year, k.term, k.school_id, k.subject_key, k.deep_dive_id FROM %1$s k'
            || ' WHERE k.deep_dive_id IS NOT NULL) END', keys);
    END IF;
    RETURN format($sql$
        SELECT e.academic_year, e.term, %5$s AS member, e.school_id, e.subject_id, e.deep_dive_id, r.standard,
               bit_or(1::bigint << qa.triangulation_column(e.activity, r.rating))
          FROM %1$s CROSS JOIN LATERAL %2$s AS p(member)
         WHERE %3$s %4$s
         GROUP BY e.academic_year, %5$s, e.term, e.school_id, e.subject_id, e.deep_dive_id, r.standard
        $sql$, ratings, members,
        CASE source WHEN 'stored' THEN 'e.withdrawn_at IS NULL' ELSE 'e.change IN (''new'', ''changed'')' END,
        restriction, member);
END
$$;

-- Empties both tables and fills them from `source` (as for qa.triangulation_pupil_rows), without their indexes,
-- which are then built again.
CREATE FUNCTION qa.fill_triangulation_pupils(source text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- Room to group a first load's ratings in memory, as the other triangulation tables.
    SET work_mem = '512MB' AS $$
DECLARE
    pupils text;
    target text;
    index_name text;
    index_definition text;
BEGIN
    FOREACH pupils IN ARRAY ARRAY['cohort', 'year_group'] LOOP
        target := 'triangulation_' || pupils || '_summary';
        index_name := target || '_' || pupils;
        index_definition := pg_get_indexdef(format('qa.%I', index_name)::regclass);
        EXECUTE format('TRUNCATE qa.%I', target);
        EXECUTE format('DROP INDEX qa.%I', index_name);
        -- In the index's order: a cohort's year is then read from few pages.
        EXECUTE format('INSERT INTO qa.%I SELECT * FROM (%s) x ORDER BY 1, 3, 2',
                       target, qa.triangulation_pupil_rows(pupils, source, NULL));
        EXECUTE index_definition;
        EXECUTE format('ANALYZE qa.%I', target);
    END LOOP;
END
$$;

-- What a load calls once its records are written: 014's upkeep of the triangulation summary and year table (its
-- body under a new name), then the groups the load changed computed again in both tables. A group changed when a
-- rating of it was taken away (pg_temp.triangulation_change, before the records changed) or one of its records is
-- new or changed (pg_temp.incoming, as it is now). Empty tables with records to count are filled whole.
ALTER FUNCTION qa.apply_triangulation_change(bigint) RENAME TO apply_triangulation_summaries;

CREATE FUNCTION qa.apply_triangulation_change(batch bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '256MB' AS $$
DECLARE
    pupils text;
BEGIN
    PERFORM qa.apply_triangulation_summaries(batch);
    IF NOT EXISTS (SELECT 1 FROM qa.triangulation_cohort_summary)
       OR NOT EXISTS (SELECT 1 FROM qa.triangulation_year_group_summary) THEN
        PERFORM qa.fill_triangulation_pupils(CASE WHEN qa.every_record_written_by(batch) THEN 'incoming' ELSE 'stored' END);
        RETURN;
    END IF;
    CREATE TEMP TABLE triangulation_pupil_keys ON COMMIT DROP AS
    SELECT c.academic_year, c.term, c.school_id, coalesce(c.subject_id, -1) AS subject_key, c.deep_dive_id
      FROM pg_temp.triangulation_change c
    UNION
    SELECT i.academic_year, i.term, i.school_id, coalesce(i.subject_id, -1), i.deep_dive_id
      FROM pg_temp.incoming i WHERE i.change IN ('new', 'changed');
    ANALYZE pg_temp.triangulation_pupil_keys;
    FOREACH pupils IN ARRAY ARRAY['cohort', 'year_group'] LOOP
        EXECUTE format($sql$
            DELETE FROM qa.%I t USING pg_temp.triangulation_pupil_keys k
             WHERE (t.academic_year, t.term, t.school_id, coalesce(t.subject_id, -1))
                 = (k.academic_year, k.term, k.school_id, k.subject_key)
               AND t.deep_dive_id IS NOT DISTINCT FROM k.deep_dive_id
            $sql$, 'triangulation_' || pupils || '_summary');
        EXECUTE format('INSERT INTO qa.%I ', 'triangulation_' || pupils || '_summary')
            || qa.triangulation_pupil_rows(pupils, 'stored', 'pg_temp.triangulation_pupil_keys');
    END LOOP;
    DROP TABLE pg_temp.triangulation_pupil_keys;
END
$$;

-- `calendar load` moves records between terms: the full rebuild fills these tables again too (017's body, with one
-- more step).
CREATE OR REPLACE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_count_summaries();
    PERFORM qa.fill_support_evidence('stored');
    PERFORM qa.fill_support_evidence_term();
    PERFORM qa.fill_triangulation_year();
    PERFORM qa.rebuild_triangulation_month();
    PERFORM qa.fill_triangulation_pupils('stored');
END
$$;

-- Who may read them: as the triangulation summary, school by school.
SELECT qa.protect_by_school('qa.triangulation_cohort_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.triangulation_year_group_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.triangulation_cohort_summary, qa.triangulation_year_group_summary
    TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.triangulation_cohort_summary, qa.triangulation_year_group_summary TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.triangulation_pupil_rows(text, text, regclass), qa.fill_triangulation_pupils(text),
    qa.apply_triangulation_summaries(bigint), qa.apply_triangulation_change(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION qa.apply_triangulation_summaries(bigint) FROM qa_loader;
GRANT EXECUTE ON FUNCTION qa.apply_triangulation_change(bigint) TO qa_loader, qa_owner;
GRANT EXECUTE ON FUNCTION qa.fill_triangulation_pupils(text) TO qa_owner;

-- Fill them from the records already loaded.
SELECT qa.fill_triangulation_pupils('stored');
