-- `query feedback` for an activity (lesson visits, work scrutiny, ...) from a table the loads keep, as 026 keeps the
-- feedback summary's grain under each cohort. Over the base tables a year's lesson visits at 3 million records
-- (600,000 records) took 1.6-2.2 s (7 December, by hand): 0.26 s to read them, the rest grouping them and looking up
-- three working days for each. Under each activity the grain has 1.45 million rows at 3 million records, a third of
-- a year's lesson visits. (Under each subject it would have 2.43 million, hardly fewer than the records of one subject
-- in a year: 028's index answers a subject instead.)
--
-- Each record has one activity, so it counts once, under it. The key starts with the activity, so that a question
-- over every year finds its rows as one over a year does.
CREATE TABLE qa.feedback_activity_summary (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    activity      text NOT NULL,
    school_id     integer NOT NULL,
    observer      text,
    kind          text NOT NULL CHECK (kind IN ('verbal', 'written')),
    days          integer,
    activity_idx  integer,
    n             integer NOT NULL
);
-- Vacuumed and analysed after 1% of its rows change, as every table since 019.
ALTER TABLE qa.feedback_activity_summary SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
-- The count rides along in the key, so that a question reads the index alone once autovacuum has marked the pages
-- all-visible (a year's lesson visits at 3 million records, 171,000 rows read twice: 1.25 -> 0.95 s in PostgreSQL).
-- The price: a load's change to a count writes a new index entry instead of updating the row in place.
CREATE UNIQUE INDEX feedback_activity_summary_key ON qa.feedback_activity_summary
    (activity, academic_year, term, school_id, observer, kind, days, activity_idx) INCLUDE (n) NULLS NOT DISTINCT;

-- Every load first finds, in each feedback table, the rows still kept as possibly pending (a working day in
-- activity_idx) that are overdue by now: a few thousand rows among millions, which each load read whole (at 3
-- million records 0.6 s for this table alone, 1.46 million rows, whatever the size of the load). Each table gets an
-- index of those rows only, 009's two and 026's two included.
CREATE INDEX feedback_summary_pending ON qa.feedback_summary (activity_idx) WHERE activity_idx IS NOT NULL;
CREATE INDEX feedback_overall_summary_pending ON qa.feedback_overall_summary (activity_idx)
    WHERE activity_idx IS NOT NULL;
CREATE INDEX feedback_cohort_summary_pending ON qa.feedback_cohort_summary (activity_idx)
    WHERE activity_idx IS NOT NULL;
CREATE INDEX feedback_year_group_summary_pending ON qa.feedback_year_group_summary (activity_idx)
    WHERE activity_idx IS NOT NULL;
CREATE INDEX feedback_activity_summary_pending ON qa.feedback_activity_summary (activity_idx)
    WHERE activity_idx IS NOT NULL;

-- One table's share of pg_temp.feedback_change (which now carries each record's activity too), as 026's
-- qa.apply_feedback_pupils added it to each of its two tables: 'cohort', 'year_group' or 'activity'.
CREATE FUNCTION qa.apply_feedback_grain(pupils text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- As 026: room to hash a first load's groups in memory, without sorts; JIT compiled for longer than it saved.
    SET work_mem = '512MB' SET enable_sort = off SET jit = off AS $$
DECLARE
    today_idx text := coalesce((SELECT w.idx FROM qa.feedback_summary_state s JOIN qa.working_day w ON w.day = s.as_of)::text,
                               'NULL');
    grain text := 'feedback_' || pupils || '_summary';
    member text;
    keys text;
    conflict text;
    populated boolean;
    index_definition text;
BEGIN
    -- Each record's cohorts in lower case, each once, or 'unspecified'; its year groups each once, or NULL; its
    -- activity. Most records name one cohort or none, which need no sorting out.
    member := CASE pupils
        WHEN 'cohort' THEN 'CASE cardinality(c.cohorts) WHEN 0 THEN ARRAY[''unspecified''] '
                           || 'WHEN 1 THEN ARRAY[lower(c.cohorts[1])] '
                           || 'ELSE ARRAY(SELECT DISTINCT lower(x) FROM unnest(c.cohorts) AS x) END'
        WHEN 'year_group' THEN 'CASE cardinality(c.year_groups) WHEN 0 THEN ARRAY[NULL::smallint] WHEN 1 THEN c.year_groups '
                               || 'ELSE ARRAY(SELECT DISTINCT x FROM unnest(c.year_groups) AS x) END'
        WHEN 'activity' THEN 'ARRAY[c.activity]' END;
    keys := format('academic_year, %s, term, school_id, observer, kind, days', pupils);
    conflict := CASE pupils
        WHEN 'cohort' THEN 'academic_year, lower(cohort), term, school_id, observer, kind, days, activity_idx'
        WHEN 'year_group' THEN 'academic_year, year_group, term, school_id, observer, kind, days, activity_idx'
        WHEN 'activity' THEN 'activity, academic_year, term, school_id, observer, kind, days, activity_idx' END;
    -- Rows kept as possibly pending that are overdue by now lose their activity day first, so that a record taken
    -- away below finds the row it was counted in (as 009).
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
        -- Filled whole (a first load, a migration, a rebuild): inserted in the key's order without the index, which
        -- is built once afterwards, as 009 does.
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
             WHEN pupils = 'activity' THEN 'ORDER BY 2, 1, 3'
             ELSE 'ORDER BY 1, 2, 3' END);
    IF NOT populated THEN
        EXECUTE index_definition;
        EXECUTE format('ANALYZE qa.%I', grain);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_temp.feedback_change WHERE n < 0) THEN
        EXECUTE format('DELETE FROM qa.%I WHERE n = 0', grain);
    END IF;
END
$$;

-- 026's upkeep, now of three tables (what qa.apply_feedback_change calls after 009's).
CREATE OR REPLACE FUNCTION qa.apply_feedback_pupils() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.apply_feedback_grain('cohort');
    PERFORM qa.apply_feedback_grain('year_group');
    PERFORM qa.apply_feedback_grain('activity');
END
$$;

-- 026's rebuild, now of all five tables: the change is every record in use, with its cohorts, year groups and
-- activity (the columns of the loader's pg_temp.feedback_change, in its order).
CREATE OR REPLACE FUNCTION qa.refresh_feedback_summary(as_of date DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    judged date := coalesce(as_of, (SELECT s.as_of FROM qa.feedback_summary_state s));
BEGIN
    TRUNCATE qa.feedback_summary, qa.feedback_overall_summary, qa.feedback_cohort_summary,
             qa.feedback_year_group_summary, qa.feedback_activity_summary;
    DELETE FROM qa.feedback_summary_state;
    DROP TABLE IF EXISTS pg_temp.feedback_change;
    CREATE TEMPORARY TABLE feedback_change ON COMMIT DROP AS
    SELECT school_id, observer, academic_year, term, activity_date, verbal_feedback_date, written_feedback_date,
           1 AS n, cohorts, year_groups, activity
      FROM qa.evidence WHERE withdrawn_at IS NULL;
    PERFORM qa.apply_feedback_change(judged);
    DROP TABLE pg_temp.feedback_change;
END
$$;

-- Who may read it: as the feedback summary (009), the analyst without observers' names.
SELECT qa.protect_by_school('qa.feedback_activity_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.feedback_activity_summary TO qa_trust_leader, qa_school_leader;
GRANT SELECT (academic_year, term, activity, school_id, kind, days, activity_idx, n) ON qa.feedback_activity_summary
    TO qa_analyst;
GRANT ALL ON qa.feedback_activity_summary TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.apply_feedback_grain(text) FROM PUBLIC;

-- Fill it from the records in use, judged as of the feedback summary's day (nothing to fill without records).
CREATE TEMPORARY TABLE feedback_change ON COMMIT DROP AS
SELECT school_id, observer, academic_year, term, activity_date, verbal_feedback_date, written_feedback_date,
       1 AS n, cohorts, year_groups, activity
  FROM qa.evidence WHERE withdrawn_at IS NULL;
SELECT qa.apply_feedback_grain('activity');
DROP TABLE pg_temp.feedback_change;
