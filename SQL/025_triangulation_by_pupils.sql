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
-- Bits, unlike counts, cannot be taken away from: a load computes again, from the base tables, every row of the
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

-- Each record to be counted, with its ratings as one number per standard (b1 ... b12: the bit of its activity and
-- rating; NULL where it gave none), in pg_temp.triangulation_records: from `source`, 'stored' (the records in
-- use) or 'incoming' (the new and changed records of the load under way, a first load); with `keys` (a relation of
-- academic_year, term, school_id, subject_key: the subject or -1, deep_dive_id), only the stored records of those
-- groups. Both tables are grouped from it: the records and their ratings are read once, and each record is
-- grouped under each of its cohorts once, not each of its ratings (at 3 million records 14 million rows, which
-- PostgreSQL sorted through temporary files: a first load's triangulation step took 241 s instead of 61 s).
-- A stored record's ratings are read from the rating table's key (023), one record at a time: that needs no room
-- to group 10 million ratings by record.
CREATE FUNCTION qa.collect_triangulation_records(source text, keys regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    stored_bits text;
    incoming_bits text;
    restriction text := '';
BEGIN
    IF source NOT IN ('stored', 'incoming') OR (keys IS NOT NULL AND source <> 'stored') THEN
        RAISE EXCEPTION 'no triangulation records from "%"', source;
    END IF;
    -- Twelve standards: qa.rating's, and the loads' `ratings` arrays (one element per standard).
    SELECT string_agg(format('bit_or(CASE WHEN r.standard = %1$s THEN 1::bigint << qa.triangulation_column(e.activity, r.rating)'
                             || ' END) AS b%1$s', n), ', ' ORDER BY n),
           string_agg(format('1::bigint << qa.triangulation_column(e.activity, e.ratings[%1$s]::qa.ragg) AS b%1$s', n),
                      ', ' ORDER BY n)
      INTO stored_bits, incoming_bits
      FROM generate_series(1, 12) AS n;
    IF keys IS NOT NULL THEN
        restriction := format(
            ' AND CASE WHEN e.deep_dive_id IS NULL'
            || ' THEN (e.academic_year, e.term, e.school_id, coalesce(e.subject_id, -1)) IN'
            || ' (SELECT k.academic_year, k.term, k.school_id, k.subject_key FROM %1$s k WHERE k.deep_dive_id IS NULL)'
            || ' ELSE (e.academic_year, e.term, e.school_id, coalesce(e.subject_id, -1), e.deep_dive_id) IN'
            || ' (SELECT k.academic_year, k.term, k.school_id, k.subject_key, k.deep_dive_id FROM %1$s k'
            || ' WHERE k.deep_dive_id IS NOT NULL) END', keys);
    END IF;
    DROP TABLE IF EXISTS pg_temp.triangulation_records;
    EXECUTE 'CREATE TEMP TABLE triangulation_records ON COMMIT DROP AS '
        || 'SELECT e.academic_year, e.term, e.school_id, e.subject_id, e.deep_dive_id, e.cohorts, e.year_groups, '
        || CASE source
               WHEN 'stored' THEN 'r.* FROM qa.evidence e CROSS JOIN LATERAL (SELECT ' || stored_bits
                   || ' FROM qa.rating r WHERE r.evidence_pk = e.evidence_pk) r WHERE e.withdrawn_at IS NULL' || restriction
               ELSE incoming_bits || ' FROM pg_temp.incoming e WHERE e.change IN (''new'', ''changed'')'
           END;
    ANALYZE pg_temp.triangulation_records;
END
$$;

-- The rows (as the table's columns) of `pupils` ('cohort' or 'year_group') from pg_temp.triangulation_records:
-- the records grouped under each cohort or year group with one bit_or per standard; the standards become rows
-- after that.
CREATE FUNCTION qa.triangulation_pupil_rows(pupils text) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    members text := CASE pupils
        WHEN 'cohort' THEN 'unnest(CASE WHEN cardinality(e.cohorts) = 0 THEN ARRAY[''unspecified''] ELSE e.cohorts END)'
        WHEN 'year_group' THEN 'unnest(CASE WHEN cardinality(e.year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE e.year_groups END)'
    END;
    member text := CASE pupils WHEN 'cohort' THEN 'lower(p.member)' ELSE 'p.member' END;
    sums text;
    standards text;
BEGIN
    IF members IS NULL THEN
        RAISE EXCEPTION 'no triangulation rows for pupils "%"', pupils;
    END IF;
    SELECT string_agg(format('bit_or(e.b%1$s) AS b%1$s', n), ', ' ORDER BY n),
           string_agg(format('(%1$s::smallint, x.b%1$s)', n), ', ' ORDER BY n)
      INTO sums, standards
      FROM generate_series(1, 12) AS n;
    RETURN format($sql$
        SELECT x.academic_year, x.term, x.member, x.school_id, x.subject_id, x.deep_dive_id, v.standard, v.ratings
          FROM (SELECT e.academic_year, e.term, %2$s AS member, e.school_id, e.subject_id, e.deep_dive_id, %3$s
                  FROM pg_temp.triangulation_records e CROSS JOIN LATERAL %1$s AS p(member)
                 GROUP BY e.academic_year, %2$s, e.term, e.school_id, e.subject_id, e.deep_dive_id) x
         CROSS JOIN LATERAL (VALUES %4$s) AS v(standard, ratings)
         WHERE v.ratings IS NOT NULL
        $sql$, members, member, sums, standards);
END
$$;

-- Empties both tables and fills them from `source` (as for qa.collect_triangulation_records), without their
-- indexes, which are then built again. PostgreSQL guesses ten cohorts per record and so far more groups than there
-- are, and would group them by sorting: it is made to hash them (sort is still used for the rows' order).
CREATE FUNCTION qa.fill_triangulation_pupils(source text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- Room to group a first load's records in memory, as the other triangulation tables.
    SET work_mem = '512MB' SET enable_sort = off SET jit = off AS $$
DECLARE
    pupils text;
    target text;
    index_name text;
    index_definition text;
BEGIN
    PERFORM qa.collect_triangulation_records(source, NULL);
    FOREACH pupils IN ARRAY ARRAY['cohort', 'year_group'] LOOP
        target := 'triangulation_' || pupils || '_summary';
        index_name := target || '_' || pupils;
        index_definition := pg_get_indexdef(format('qa.%I', index_name)::regclass);
        EXECUTE format('TRUNCATE qa.%I', target);
        EXECUTE format('DROP INDEX qa.%I', index_name);
        -- In the index's order: a cohort's year is then read from few pages.
        EXECUTE format('INSERT INTO qa.%I SELECT * FROM (%s) x ORDER BY 1, 3, 2', target, qa.triangulation_pupil_rows(pupils));
        EXECUTE index_definition;
        EXECUTE format('ANALYZE qa.%I', target);
    END LOOP;
    DROP TABLE pg_temp.triangulation_records;
END
$$;

-- The groups a load changed, computed again in both tables. A group changed when a rating of it was taken away
-- (pg_temp.triangulation_change, before the records changed) or one of its records is new or changed
-- (pg_temp.incoming, as it is now). Empty tables with records to count are filled whole.
CREATE FUNCTION qa.apply_triangulation_pupils(batch bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '256MB' SET enable_sort = off SET jit = off AS $$
DECLARE
    pupils text;
BEGIN
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
    PERFORM qa.collect_triangulation_records('stored', 'pg_temp.triangulation_pupil_keys');
    FOREACH pupils IN ARRAY ARRAY['cohort', 'year_group'] LOOP
        EXECUTE format($sql$
            DELETE FROM qa.%I t USING pg_temp.triangulation_pupil_keys k
             WHERE (t.academic_year, t.term, t.school_id, coalesce(t.subject_id, -1))
                 = (k.academic_year, k.term, k.school_id, k.subject_key)
               AND t.deep_dive_id IS NOT DISTINCT FROM k.deep_dive_id
            $sql$, 'triangulation_' || pupils || '_summary');
        EXECUTE format('INSERT INTO qa.%I ', 'triangulation_' || pupils || '_summary') || qa.triangulation_pupil_rows(pupils);
    END LOOP;
    DROP TABLE pg_temp.triangulation_records;
    DROP TABLE pg_temp.triangulation_pupil_keys;
END
$$;

-- What a load calls once its records are written: 014's upkeep of the triangulation summary and year table (its
-- body under a new name), then the cohorts' and year groups' tables.
ALTER FUNCTION qa.apply_triangulation_change(bigint) RENAME TO apply_triangulation_summaries;

CREATE FUNCTION qa.apply_triangulation_change(batch bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.apply_triangulation_summaries(batch);
    PERFORM qa.apply_triangulation_pupils(batch);
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
REVOKE EXECUTE ON FUNCTION qa.collect_triangulation_records(text, regclass), qa.triangulation_pupil_rows(text),
    qa.fill_triangulation_pupils(text), qa.apply_triangulation_pupils(bigint), qa.apply_triangulation_summaries(bigint),
    qa.apply_triangulation_change(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION qa.apply_triangulation_summaries(bigint) FROM qa_loader;
GRANT EXECUTE ON FUNCTION qa.apply_triangulation_change(bigint) TO qa_loader, qa_owner;
GRANT EXECUTE ON FUNCTION qa.fill_triangulation_pupils(text) TO qa_owner;

-- Fill them from the records already loaded.
SELECT qa.fill_triangulation_pupils('stored');
