-- `query feedback` for a cohort or a year group from tables the loads keep, as the feedback summary (009) answers
-- it for every pupil. Over the base tables a year's feedback for a cohort read the cohort's records and looked up
-- three working days for each: at 3 million records (7 December, by hand) 0.7-1.0 s for SEND and 1.6-1.7 s for the
-- records naming no cohort (over half of them).
--
-- The feedback summary's grain (school, observer, year, term, kind of feedback, working days taken, and the
-- activity's working day while the feedback could still be pending) under each cohort a record names, in lower
-- case as the filter matches it ('unspecified' when it names none), or each year group (NULL for none). A record
-- counts once under a cohort however many spellings of it it names, as the base tables' filter counts it once.
-- Counts, unlike 025's bits, can be taken away: a load adds its change (pg_temp.feedback_change, which now carries
-- each record's cohorts and year groups) as 009 adds it to the summary, with no reading of the base tables.
CREATE TABLE qa.feedback_cohort_summary (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    cohort        text NOT NULL,
    school_id     integer NOT NULL,
    observer      text,
    kind          text NOT NULL CHECK (kind IN ('verbal', 'written')),
    days          integer,
    activity_idx  integer,
    n             integer NOT NULL
);
CREATE TABLE qa.feedback_year_group_summary (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    year_group    smallint,
    school_id     integer NOT NULL,
    observer      text,
    kind          text NOT NULL CHECK (kind IN ('verbal', 'written')),
    days          integer,
    activity_idx  integer,
    n             integer NOT NULL
);
-- Vacuumed and analysed after 1% of their rows change, as every table since 019.
ALTER TABLE qa.feedback_cohort_summary SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE qa.feedback_year_group_summary SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
-- One key serves the upkeep and the question, which names a year (perhaps a term) and the cohort or year group; the
-- filter compares the cohort in lower case, so the key holds lower(cohort) (the same text: it is stored lowered).
CREATE UNIQUE INDEX feedback_cohort_summary_key ON qa.feedback_cohort_summary
    (academic_year, lower(cohort), term, school_id, observer, kind, days, activity_idx) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX feedback_year_group_summary_key ON qa.feedback_year_group_summary
    (academic_year, year_group, term, school_id, observer, kind, days, activity_idx) NULLS NOT DISTINCT;

-- Adds pg_temp.feedback_change to both tables, judging overdue feedback as of the feedback summary's as_of, which
-- 009's upkeep (run first) has just set.
CREATE FUNCTION qa.apply_feedback_pupils() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- As 009: room to hash a first load's groups in memory. Without sorts, PostgreSQL hashes them: it expected ten
    -- cohorts a record and 40 million rows, and sorted 7.7 million through temporary files instead (3 million
    -- records: 48 s against 21 s for the cohort table). JIT compiled for longer than it saved.
    SET work_mem = '512MB' SET enable_sort = off SET jit = off AS $$
DECLARE
    today_idx text := coalesce((SELECT w.idx FROM qa.feedback_summary_state s JOIN qa.working_day w ON w.day = s.as_of)::text,
                               'NULL');
    pupils text;
    grain text;
    member text;
    keys text;
    conflict text;
    populated boolean;
    index_definition text;
BEGIN
    FOREACH pupils IN ARRAY ARRAY['cohort', 'year_group'] LOOP
        grain := 'feedback_' || pupils || '_summary';
        -- Each record's cohorts in lower case, each once, or 'unspecified'; its year groups each once, or NULL.
        -- Most records name one or none, which need no sorting out.
        member := CASE pupils
            WHEN 'cohort' THEN 'CASE cardinality(c.cohorts) WHEN 0 THEN ARRAY[''unspecified''] '
                               || 'WHEN 1 THEN ARRAY[lower(c.cohorts[1])] '
                               || 'ELSE ARRAY(SELECT DISTINCT lower(x) FROM unnest(c.cohorts) AS x) END'
            ELSE 'CASE cardinality(c.year_groups) WHEN 0 THEN ARRAY[NULL::smallint] WHEN 1 THEN c.year_groups '
                 || 'ELSE ARRAY(SELECT DISTINCT x FROM unnest(c.year_groups) AS x) END' END;
        keys := format('academic_year, %s, term, school_id, observer, kind, days', pupils);
        conflict := format('academic_year, %s, term, school_id, observer, kind, days, activity_idx',
                           CASE pupils WHEN 'cohort' THEN 'lower(cohort)' ELSE 'year_group' END);
        -- Rows kept as possibly pending that are overdue by now lose their activity day first, so that a record
        -- taken away below finds the row it was counted in (as 009).
        EXECUTE format($sql$
            WITH overdue AS (
                DELETE FROM qa.%1$I
                 WHERE activity_idx IS NOT NULL AND %2$s - activity_idx > qa.feedback_deadline(kind)
                RETURNING %3$s, n)
            INSERT INTO qa.%1$I AS t (%3$s, activity_idx, n)
            SELECT %3$s, NULL, sum(n) FROM overdue GROUP BY %3$s
            ON CONFLICT (%4$s) DO UPDATE SET n = t.n + excluded.n
            $sql$, grain, today_idx, keys, conflict);

        EXECUTE format('SELECT EXISTS (SELECT 1 FROM qa.%I)', grain) INTO populated;
        IF NOT populated THEN
            -- Filled whole (a first load, the migration, a rebuild): inserted in the key's order without the index,
            -- which is built once afterwards, as 009 does; a year's rows of one cohort then lie together.
            index_definition := pg_get_indexdef(format('qa.%I', grain || '_key')::regclass);
            EXECUTE format('DROP INDEX qa.%I', grain || '_key');
        END IF;
        -- Each change row once per kind of feedback (working days looked up as 009 does), under each member.
        EXECUTE format($sql$
            WITH change AS MATERIALIZED (
                SELECT c.academic_year, m.member, c.term, c.school_id, c.observer, k.kind, k.days,
                       CASE WHEN k.days IS NULL AND %1$s - wa.idx <= qa.feedback_deadline(k.kind) THEN wa.idx END,
                       sum(c.n)::integer
                  FROM pg_temp.feedback_change c
                  JOIN qa.working_day wa ON wa.day = c.activity_date
                  LEFT JOIN qa.working_day wv ON wv.day = c.verbal_feedback_date
                  LEFT JOIN qa.working_day ww ON ww.day = c.written_feedback_date
                 CROSS JOIN LATERAL (VALUES ('verbal', wv.idx - wa.idx), ('written', ww.idx - wa.idx)) AS k(kind, days)
                 CROSS JOIN LATERAL unnest(%2$s) AS m(member)
                 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)
            INSERT INTO qa.%3$I AS t (%4$s, activity_idx, n)
            SELECT * FROM change
            %5$s
            $sql$, today_idx, member, grain, keys,
            CASE WHEN populated THEN format('ON CONFLICT (%s) DO UPDATE SET n = t.n + excluded.n', conflict)
                 ELSE 'ORDER BY 1, 2, 3' END);
        IF NOT populated THEN
            EXECUTE index_definition;
            EXECUTE format('ANALYZE qa.%I', grain);
        END IF;
        IF EXISTS (SELECT 1 FROM pg_temp.feedback_change WHERE n < 0) THEN
            EXECUTE format('DELETE FROM qa.%I WHERE n = 0', grain);
        END IF;
    END LOOP;
END
$$;

-- What a load calls once its records are written: 009's upkeep (its body kept under a new name), then these tables.
ALTER FUNCTION qa.apply_feedback_change(date) RENAME TO apply_feedback_summaries;

CREATE FUNCTION qa.apply_feedback_change(as_of date DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.apply_feedback_summaries(as_of);
    PERFORM qa.apply_feedback_pupils();
END
$$;

-- 009's rebuild (after closure days or term dates change, and from tests), now of all four tables: the change is
-- every record in use, with its cohorts and year groups.
CREATE OR REPLACE FUNCTION qa.refresh_feedback_summary(as_of date DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    judged date := coalesce(as_of, (SELECT s.as_of FROM qa.feedback_summary_state s));
BEGIN
    TRUNCATE qa.feedback_summary, qa.feedback_overall_summary, qa.feedback_cohort_summary,
             qa.feedback_year_group_summary;
    DELETE FROM qa.feedback_summary_state;
    DROP TABLE IF EXISTS pg_temp.feedback_change;
    CREATE TEMPORARY TABLE feedback_change ON COMMIT DROP AS
    SELECT school_id, observer, academic_year, term, activity_date, verbal_feedback_date, written_feedback_date,
           1 AS n, cohorts, year_groups
      FROM qa.evidence WHERE withdrawn_at IS NULL;
    PERFORM qa.apply_feedback_change(judged);
    DROP TABLE pg_temp.feedback_change;
END
$$;

-- Who may read them: as the feedback summary (009), the analyst without observers' names.
SELECT qa.protect_by_school('qa.feedback_cohort_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.feedback_year_group_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.feedback_cohort_summary, qa.feedback_year_group_summary TO qa_trust_leader, qa_school_leader;
GRANT SELECT (academic_year, term, cohort, school_id, kind, days, activity_idx, n) ON qa.feedback_cohort_summary
    TO qa_analyst;
GRANT SELECT (academic_year, term, year_group, school_id, kind, days, activity_idx, n)
    ON qa.feedback_year_group_summary TO qa_analyst;
GRANT ALL ON qa.feedback_cohort_summary, qa.feedback_year_group_summary TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.apply_feedback_pupils(), qa.apply_feedback_change(date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION qa.apply_feedback_summaries(date) FROM qa_loader;
GRANT EXECUTE ON FUNCTION qa.apply_feedback_change(date) TO qa_loader, qa_owner;

-- Fill them from the records in use, judged as of the feedback summary's day (nothing to fill without records).
CREATE TEMPORARY TABLE feedback_change ON COMMIT DROP AS
SELECT school_id, observer, academic_year, term, activity_date, verbal_feedback_date, written_feedback_date,
       1 AS n, cohorts, year_groups
  FROM qa.evidence WHERE withdrawn_at IS NULL;
SELECT qa.apply_feedback_pupils();
DROP TABLE pg_temp.feedback_change;
