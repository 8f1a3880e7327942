-- The answer of `query triangulation` for an academic year, kept by the loads: at 3 million records one year is
-- 213,894 rows, which took 1.6 s in PostgreSQL from qa.triangulation_summary (SQL/010) — grouping the deep dives'
-- rows across terms, a window for each group's first term and the lowest and highest rating of each activity —
-- before the rows were even sorted by name. From this table it is a scan of one year and the sort (0.4-0.5 s).
--
-- One row per group and standard, only where at least two activity types rated the standard (those are the rows the
-- query shows): a group is a deep dive within the year, or a school, subject and term outside deep dives (`term`,
-- NULL for a deep dive, whose records may lie in more than one term). `first_term` is the group's first term
-- among its rows here (10 x year + term order), the term the query shows; each activity's lowest and highest
-- rating as scores (Red 1 ... Gold 4, NULL where the activity gave none) and the verdict are as
-- Sources/QAQuery/Triangulation.swift computes them from the summary; a test checks that they agree.
--
-- The query reads it for a whole academic year with no filters other than school and subject. A standard filter
-- changes which rows decide a group's first term, and a term (or a day) narrows a deep dive to that term's
-- records, so those questions still read qa.triangulation_summary.
CREATE TABLE qa.triangulation_year (
    academic_year                    smallint NOT NULL,
    school_id                        integer NOT NULL,
    subject_id                       integer,
    deep_dive_id                     text,
    term                             text,
    standard                         smallint NOT NULL,
    first_term                       smallint NOT NULL,
    lesson_visit_low                 smallint,
    lesson_visit_high                smallint,
    work_scrutiny_low                smallint,
    work_scrutiny_high               smallint,
    pupil_discussion_low             smallint,
    pupil_discussion_high            smallint,
    subject_leader_discussion_low    smallint,
    subject_leader_discussion_high   smallint,
    deep_dive_low                    smallint,
    deep_dive_high                   smallint,
    curriculum_plan_review_low       smallint,
    curriculum_plan_review_high      smallint,
    peer_review_low                  smallint,
    peer_review_high                 smallint,
    informal_feedback_low            smallint,
    informal_feedback_high           smallint,
    verdict                          text NOT NULL
);
-- No index: the query reads a third of the table (one year of three) and scans it; the loads delete and add
-- groups by joining on a hash. A unique index on the group and standard made a 1% reload at 3 million records
-- spend 2.3 s adding rows instead of 0.9 s. The tests compare the table with a rebuild, duplicates included.

-- The activity types, in the order of the summary's count columns (SQL/010): `lesson_visit_red` ... .
CREATE FUNCTION qa.triangulation_activities() RETURNS text[]
    LANGUAGE sql STABLE
    RETURN (SELECT array_agg(left(c.name, -4) ORDER BY c.k)
              FROM unnest(qa.triangulation_count_columns()) WITH ORDINALITY AS c(name, k)
             WHERE c.name LIKE '%\_red');

-- The rows of the groups listed in `keys` (a relation of qa.triangulation_year_keys' columns), or of every group
-- when `keys` is NULL, computed from qa.triangulation_summary. Outside deep dives a summary row is already one
-- group and standard, and its own first term: only a deep dive's rows are added up across terms, with a window
-- for the first term of each deep dive.
CREATE FUNCTION qa.triangulation_year_rows(keys regclass) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    sums text;
    counts text;
    lows text;
    highs text;
    columns text;
    -- Each activity's lowest rating is the first counted from Red up, its highest the first from Gold down; %s
    -- wraps each count (sum() for a deep dive's rows).
    range CONSTANT text := 'CASE WHEN %1$s > 0 THEN 1 WHEN %2$s > 0 THEN 2 WHEN %3$s > 0 THEN 3 WHEN %4$s > 0 THEN 4 END AS %5$I, '
                        || 'CASE WHEN %4$s > 0 THEN 4 WHEN %3$s > 0 THEN 3 WHEN %2$s > 0 THEN 2 WHEN %1$s > 0 THEN 1 END AS %6$I';
BEGIN
    SELECT string_agg(format(range, format('sum(x.%I)', a || '_red'), format('sum(x.%I)', a || '_amber'),
                             format('sum(x.%I)', a || '_green'), format('sum(x.%I)', a || '_gold'),
                             a || '_low', a || '_high'), ', ' ORDER BY n),
           string_agg(format(range, format('x.%I', a || '_red'), format('x.%I', a || '_amber'),
                             format('x.%I', a || '_green'), format('x.%I', a || '_gold'),
                             a || '_low', a || '_high'), ', ' ORDER BY n),
           string_agg(format('%I', a || '_low'), ', ' ORDER BY n),
           string_agg(format('%I', a || '_high'), ', ' ORDER BY n),
           string_agg(format('%I::smallint, %I::smallint', a || '_low', a || '_high'), ', ' ORDER BY n)
      INTO sums, counts, lows, highs, columns
      FROM unnest(qa.triangulation_activities()) WITH ORDINALITY AS t(a, n);
    RETURN format($sql$
        SELECT r.*, CASE WHEN greatest(%3$s) - least(%2$s) <= 1 THEN 'agree'
                         WHEN least(%2$s) = 1 THEN 'conflict' ELSE 'mixed' END
          FROM (SELECT g.academic_year, g.school_id, g.subject_id, NULL::text, g.term, g.standard, g.first_term, %1$s
                  FROM (SELECT x.academic_year, x.school_id, x.subject_id, x.term, x.standard,
                               (x.academic_year * 10 + qa.term_order(x.term))::smallint AS first_term, %5$s
                          FROM qa.triangulation_summary x
                         WHERE x.deep_dive_id IS NULL %6$s) g
                 WHERE num_nonnulls(%2$s) >= 2
                UNION ALL
                SELECT d.academic_year, d.school_id, d.subject_id, d.deep_dive_id, NULL::text, d.standard,
                       min(d.first_term) OVER (PARTITION BY d.academic_year, d.school_id, d.subject_id, d.deep_dive_id),
                       %1$s
                  FROM (SELECT x.academic_year, x.school_id, x.subject_id, x.deep_dive_id, x.standard,
                               min(x.academic_year * 10 + qa.term_order(x.term))::smallint AS first_term, %4$s
                          FROM qa.triangulation_summary x
                         WHERE x.deep_dive_id IS NOT NULL %7$s
                         GROUP BY x.academic_year, x.school_id, x.subject_id, x.deep_dive_id, x.standard) d
                 WHERE num_nonnulls(%2$s) >= 2) r
        $sql$, columns, lows, highs, sums, counts,
        CASE WHEN keys IS NOT NULL THEN format(
            'AND (x.academic_year, x.school_id, coalesce(x.subject_id, -1), x.term) IN'
            || ' (SELECT k.academic_year, k.school_id, k.subject_key, k.term FROM %s k WHERE k.deep_dive_id IS NULL)', keys)
            ELSE '' END,
        CASE WHEN keys IS NOT NULL THEN format(
            'AND (x.academic_year, x.school_id, coalesce(x.subject_id, -1), x.deep_dive_id) IN'
            || ' (SELECT k.academic_year, k.school_id, k.subject_key, k.deep_dive_id FROM %s k WHERE k.deep_dive_id IS NOT NULL)', keys)
            ELSE '' END);
END
$$;

-- Empties the table and computes every group into it.
CREATE FUNCTION qa.fill_triangulation_year() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '512MB' AS $$
BEGIN
    TRUNCATE qa.triangulation_year;
    EXECUTE 'INSERT INTO qa.triangulation_year ' || qa.triangulation_year_rows(NULL);
    ANALYZE qa.triangulation_year;
END
$$;

-- What a load calls once its records are written (the loader's "triangulation summary" step, by this name since
-- SQL/010). SQL/010's upkeep of the summary keeps its body under a new name; after it, the groups whose counts it
-- changed (pg_temp.triangulation_change holds the ratings taken away and added) are computed again. An empty
-- summary or table is filled whole.
ALTER FUNCTION qa.apply_triangulation_change(bigint) RENAME TO apply_triangulation_counts;

CREATE FUNCTION qa.apply_triangulation_change(batch bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '256MB' AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM qa.triangulation_summary) OR NOT EXISTS (SELECT 1 FROM qa.triangulation_year) THEN
        PERFORM qa.apply_triangulation_counts(batch);
        PERFORM qa.fill_triangulation_year();
        RETURN;
    END IF;
    PERFORM qa.apply_triangulation_counts(batch);
    -- The groups: a deep dive within a year, or a school, subject, year and term outside deep dives. The subject
    -- as -1 where there is none, so that the keys compare with = (and join by hashing).
    CREATE TEMP TABLE triangulation_year_keys ON COMMIT DROP AS
    SELECT DISTINCT c.academic_year, c.school_id, coalesce(c.subject_id, -1) AS subject_key, c.deep_dive_id,
           CASE WHEN c.deep_dive_id IS NULL THEN c.term END AS term
      FROM pg_temp.triangulation_change c;
    ANALYZE pg_temp.triangulation_year_keys;
    DELETE FROM qa.triangulation_year t
     WHERE t.deep_dive_id IS NULL
       AND (t.academic_year, t.school_id, coalesce(t.subject_id, -1), t.term) IN (
           SELECT k.academic_year, k.school_id, k.subject_key, k.term
             FROM pg_temp.triangulation_year_keys k WHERE k.deep_dive_id IS NULL);
    DELETE FROM qa.triangulation_year t
     WHERE t.deep_dive_id IS NOT NULL
       AND (t.academic_year, t.school_id, coalesce(t.subject_id, -1), t.deep_dive_id) IN (
           SELECT k.academic_year, k.school_id, k.subject_key, k.deep_dive_id
             FROM pg_temp.triangulation_year_keys k WHERE k.deep_dive_id IS NOT NULL);
    EXECUTE 'INSERT INTO qa.triangulation_year ' || qa.triangulation_year_rows('pg_temp.triangulation_year_keys');
    DROP TABLE pg_temp.triangulation_year_keys;
END
$$;

-- `calendar load` moves records between terms: the full rebuild fills this table again too (SQL/013's body, with
-- one more step).
CREATE OR REPLACE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_count_summaries();
    PERFORM qa.fill_support_evidence('stored');
    PERFORM qa.fill_support_evidence_term();
    PERFORM qa.fill_triangulation_year();
END
$$;

-- Who may read it: as the triangulation summary, school by school.
SELECT qa.protect_by_school('qa.triangulation_year', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.triangulation_year TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.triangulation_year TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.fill_triangulation_year(), qa.apply_triangulation_counts(bigint),
    qa.apply_triangulation_change(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION qa.apply_triangulation_counts(bigint) FROM qa_loader;
GRANT EXECUTE ON FUNCTION qa.apply_triangulation_change(bigint) TO qa_loader, qa_owner;

-- Fill it from the records already loaded.
SELECT qa.fill_triangulation_year();
