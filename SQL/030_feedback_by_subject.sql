-- `query feedback` for a subject, and for a subject or an activity over every year, from tables the loads keep, as
-- 029 answers a year's activity. At 3 million records (7 December, by hand, the statement alone in PostgreSQL):
-- - a year's maths read 028's index and grouped its 179,000 records: 0.93 s; its 73,000 rows of the grain kept per
--   subject below: 0.42 s;
-- - every year's maths read 540,000 records: 2.0 s; the grain without year and term: 0.51 s (0.79 s from the
--   grain with them, 302,000 rows);
-- - every year's lesson visits read 029's grain, 507,000 rows: 1.13 s; without year and term, 118,000 rows: 0.76 s.
-- Same answers throughout. The grains hold 2.44 million rows (404 MB), 755,000 (102 MB) and 404,000 (67 MB).
--
-- Each record has one subject and one activity, so it counts once, under them (a record naming no subject in no
-- subject's table). Each key starts with the subject or
-- the activity, so that the question finds its rows together, and includes the count, so that it reads the key alone.
CREATE TABLE qa.feedback_subject_summary (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    subject_id    integer NOT NULL,
    school_id     integer NOT NULL,
    observer      text,
    kind          text NOT NULL CHECK (kind IN ('verbal', 'written')),
    days          integer,
    activity_idx  integer,
    n             integer NOT NULL
);
CREATE TABLE qa.feedback_subject_overall_summary (
    subject_id    integer NOT NULL,
    school_id     integer NOT NULL,
    observer      text,
    kind          text NOT NULL CHECK (kind IN ('verbal', 'written')),
    days          integer,
    activity_idx  integer,
    n             integer NOT NULL
);
CREATE TABLE qa.feedback_activity_overall_summary (
    activity      text NOT NULL,
    school_id     integer NOT NULL,
    observer      text,
    kind          text NOT NULL CHECK (kind IN ('verbal', 'written')),
    days          integer,
    activity_idx  integer,
    n             integer NOT NULL
);
-- Vacuumed and analysed after 1% of their rows change, as every table since 019.
ALTER TABLE qa.feedback_subject_summary SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE qa.feedback_subject_overall_summary SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE qa.feedback_activity_overall_summary SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
CREATE UNIQUE INDEX feedback_subject_summary_key ON qa.feedback_subject_summary
    (subject_id, academic_year, term, school_id, observer, kind, days, activity_idx) INCLUDE (n) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX feedback_subject_overall_summary_key ON qa.feedback_subject_overall_summary
    (subject_id, school_id, observer, kind, days, activity_idx) INCLUDE (n) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX feedback_activity_overall_summary_key ON qa.feedback_activity_overall_summary
    (activity, school_id, observer, kind, days, activity_idx) INCLUDE (n) NULLS NOT DISTINCT;
-- The rows still possibly pending, which every load's first step looks for (as 029's indexes).
CREATE INDEX feedback_subject_summary_pending ON qa.feedback_subject_summary (activity_idx)
    WHERE activity_idx IS NOT NULL;
CREATE INDEX feedback_subject_overall_summary_pending ON qa.feedback_subject_overall_summary (activity_idx)
    WHERE activity_idx IS NOT NULL;
CREATE INDEX feedback_activity_overall_summary_pending ON qa.feedback_activity_overall_summary (activity_idx)
    WHERE activity_idx IS NOT NULL;

-- One upkeep for every feedback table: 029's of one table, now of eight. 'terms' and 'overall' are 009's two tables
-- (qa.feedback_summary and qa.feedback_overall_summary); 'cohort', 'year_group', 'activity' and 'subject' are kept by
-- year and term, 'subject_overall' and 'activity_overall' over every year. Only what a table is kept by differs: its
-- columns before the kind of feedback (`cols`), what each change row gives them (`member`, from
-- pg_temp.feedback_change, which now carries each record's subject too), its unique key's columns and the order of
-- a whole fill. The parameter is renamed, so the function is made anew.
DROP FUNCTION qa.apply_feedback_grain(text);
CREATE FUNCTION qa.apply_feedback_grain(kept_by text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- As 026: room to hash a first load's groups in memory, without sorts; JIT compiled for longer than it saved.
    SET work_mem = '512MB' SET enable_sort = off SET jit = off AS $$
DECLARE
    today_idx text := coalesce((SELECT w.idx FROM qa.feedback_summary_state s JOIN qa.working_day w ON w.day = s.as_of)::text,
                               'NULL');
    grain text := CASE kept_by WHEN 'terms' THEN 'feedback_summary' ELSE 'feedback_' || kept_by || '_summary' END;
    cols text;
    member text;
    unnested text := '';
    counted text := '';
    key_cols text;
    fill_order text := '1, 2, 3';
    keys text;
    conflict text;
    groups text;
    populated boolean;
    emptied boolean;
    index_definition text;
BEGIN
    CASE kept_by
    WHEN 'terms' THEN
        cols := 'school_id, observer, academic_year, term';
        member := 'c.school_id, c.observer, c.academic_year, c.term';
        key_cols := cols;
    WHEN 'overall' THEN
        cols := 'school_id, observer';
        member := 'c.school_id, c.observer';
        key_cols := cols;
    WHEN 'cohort' THEN
        -- Each record's cohorts in lower case, each once, or 'unspecified'. Most records name one or none, which
        -- need no sorting out.
        cols := 'academic_year, cohort, term, school_id, observer';
        member := 'c.academic_year, m.member, c.term, c.school_id, c.observer';
        unnested := 'CROSS JOIN LATERAL unnest(CASE cardinality(c.cohorts) WHEN 0 THEN ARRAY[''unspecified''] '
                    || 'WHEN 1 THEN ARRAY[lower(c.cohorts[1])] '
                    || 'ELSE ARRAY(SELECT DISTINCT lower(x) FROM unnest(c.cohorts) AS x) END) AS m(member)';
        key_cols := 'academic_year, lower(cohort), term, school_id, observer';
    WHEN 'year_group' THEN
        -- Each record's year groups, each once, or NULL.
        cols := 'academic_year, year_group, term, school_id, observer';
        member := 'c.academic_year, m.member, c.term, c.school_id, c.observer';
        unnested := 'CROSS JOIN LATERAL unnest(CASE cardinality(c.year_groups) WHEN 0 THEN ARRAY[NULL::smallint] '
                    || 'WHEN 1 THEN c.year_groups ELSE ARRAY(SELECT DISTINCT x FROM unnest(c.year_groups) AS x) END) AS m(member)';
        key_cols := cols;
    WHEN 'activity' THEN
        cols := 'academic_year, activity, term, school_id, observer';
        member := 'c.academic_year, c.activity, c.term, c.school_id, c.observer';
        key_cols := 'activity, academic_year, term, school_id, observer';
        fill_order := '2, 1, 3';
    WHEN 'subject' THEN
        -- A record naming no subject answers no question about one (the filter matches names), so it is not kept.
        cols := 'academic_year, subject_id, term, school_id, observer';
        member := 'c.academic_year, c.subject_id, c.term, c.school_id, c.observer';
        counted := 'WHERE c.subject_id IS NOT NULL';
        key_cols := 'subject_id, academic_year, term, school_id, observer';
        fill_order := '2, 1, 3';
    WHEN 'subject_overall' THEN
        cols := 'subject_id, school_id, observer';
        member := 'c.subject_id, c.school_id, c.observer';
        counted := 'WHERE c.subject_id IS NOT NULL';
        key_cols := cols;
    WHEN 'activity_overall' THEN
        cols := 'activity, school_id, observer';
        member := 'c.activity, c.school_id, c.observer';
        key_cols := cols;
    END CASE;
    keys := cols || ', kind, days';
    conflict := key_cols || ', kind, days, activity_idx';
    -- The change's columns by position: those of `cols`, then kind, days and the activity day.
    groups := (SELECT string_agg(i::text, ', ') FROM generate_series(1, cardinality(string_to_array(cols, ',')) + 3) AS i);
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
    -- Each change row once per kind of feedback (working days looked up as 009 does), under what the table is kept
    -- by. A record whose ratings changed is taken away and added again with the same feedback: its two rows cancel,
    -- and a group whose change adds up to nothing is left alone instead of being written again (a 1% spread change
    -- at 3 million records, every one a rating: the subject table's upkeep 2.1-3.7 s -> 0.22 s, the activity
    -- table's 2.0-2.9 s -> 0.23 s, the cohort table's 2.8-7.1 s -> 0.43-0.60 s, 009's two 1.8-2.6 s -> 0.21-0.25 s).
    -- Rows whose count comes to 0 are deleted afterwards, and only when there are some.
    EXECUTE format($sql$
        WITH change AS MATERIALIZED (
            SELECT %2$s, k.kind, k.days,
                   CASE WHEN k.days IS NULL AND %1$s - wa.idx <= qa.feedback_deadline(k.kind) THEN wa.idx END,
                   sum(c.n)::integer
              FROM pg_temp.feedback_change c
              JOIN qa.working_day wa ON wa.day = c.activity_date
              LEFT JOIN qa.working_day wv ON wv.day = c.verbal_feedback_date
              LEFT JOIN qa.working_day ww ON ww.day = c.written_feedback_date
             CROSS JOIN LATERAL (VALUES ('verbal', wv.idx - wa.idx), ('written', ww.idx - wa.idx)) AS k(kind, days)
             %3$s
             %8$s
             GROUP BY %4$s HAVING sum(c.n) <> 0)
        , written AS (
            INSERT INTO qa.%5$I AS t (%6$s, activity_idx, n)
            SELECT * FROM change
            %7$s
            RETURNING t.n)
        SELECT coalesce(bool_or(n = 0), false) FROM written
        $sql$, today_idx, member, unnested, groups, grain, keys,
        CASE WHEN populated THEN format('ON CONFLICT (%s) DO UPDATE SET n = t.n + excluded.n', conflict)
             ELSE 'ORDER BY ' || fill_order END,
        counted) INTO emptied;
    IF NOT populated THEN
        EXECUTE index_definition;
        EXECUTE format('ANALYZE qa.%I', grain);
    END IF;
    IF emptied THEN
        EXECUTE format('DELETE FROM qa.%I WHERE n = 0', grain);
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION qa.apply_feedback_grain(text) FROM PUBLIC;

-- What a load calls once its records are written (026's two steps, 009's upkeep and then its own, become one): the
-- day overdue feedback is judged as of, as 009 sets it, then every feedback table by the upkeep above. The two
-- functions it called are dropped.
CREATE OR REPLACE FUNCTION qa.apply_feedback_change(as_of date DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    judged date := greatest(as_of, (SELECT s.as_of FROM qa.feedback_summary_state s),
                            (SELECT max(c.activity_date) FROM pg_temp.feedback_change c WHERE c.n > 0));
    kept_by text;
BEGIN
    -- With no records there is nothing to judge: no as_of, and queries read the (empty) base tables.
    DELETE FROM qa.feedback_summary_state;
    INSERT INTO qa.feedback_summary_state (as_of) SELECT judged WHERE judged IS NOT NULL;
    FOREACH kept_by IN ARRAY ARRAY['terms', 'overall', 'cohort', 'year_group', 'activity', 'subject',
                                   'subject_overall', 'activity_overall'] LOOP
        PERFORM qa.apply_feedback_grain(kept_by);
    END LOOP;
END
$$;
DROP FUNCTION qa.apply_feedback_summaries(date), qa.apply_feedback_pupils();

-- 029's rebuild, now of all eight tables: the change is every record in use, with its cohorts, year groups,
-- activity and subject (the columns of the loader's pg_temp.feedback_change, in its order).
CREATE OR REPLACE FUNCTION qa.refresh_feedback_summary(as_of date DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    judged date := coalesce(as_of, (SELECT s.as_of FROM qa.feedback_summary_state s));
BEGIN
    TRUNCATE qa.feedback_summary, qa.feedback_overall_summary, qa.feedback_cohort_summary,
             qa.feedback_year_group_summary, qa.feedback_activity_summary, qa.feedback_subject_summary,
             qa.feedback_subject_overall_summary, qa.feedback_activity_overall_summary;
    DELETE FROM qa.feedback_summary_state;
    DROP TABLE IF EXISTS pg_temp.feedback_change;
    CREATE TEMPORARY TABLE feedback_change ON COMMIT DROP AS
    SELECT school_id, observer, academic_year, term, activity_date, verbal_feedback_date, written_feedback_date,
           1 AS n, cohorts, year_groups, activity, subject_id
      FROM qa.evidence WHERE withdrawn_at IS NULL;
    PERFORM qa.apply_feedback_change(judged);
    DROP TABLE pg_temp.feedback_change;
END
$$;

-- Who may read them: as the feedback summary (009), the analyst without observers' names.
SELECT qa.protect_by_school('qa.feedback_subject_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.feedback_subject_overall_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.feedback_activity_overall_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.feedback_subject_summary, qa.feedback_subject_overall_summary, qa.feedback_activity_overall_summary
    TO qa_trust_leader, qa_school_leader;
GRANT SELECT (academic_year, term, subject_id, school_id, kind, days, activity_idx, n) ON qa.feedback_subject_summary
    TO qa_analyst;
GRANT SELECT (subject_id, school_id, kind, days, activity_idx, n) ON qa.feedback_subject_overall_summary TO qa_analyst;
GRANT SELECT (activity, school_id, kind, days, activity_idx, n) ON qa.feedback_activity_overall_summary TO qa_analyst;
GRANT ALL ON qa.feedback_subject_summary, qa.feedback_subject_overall_summary, qa.feedback_activity_overall_summary
    TO qa_owner;

-- Fill them from the records in use, judged as of the feedback summary's day (nothing to fill without records).
CREATE TEMPORARY TABLE feedback_change ON COMMIT DROP AS
SELECT school_id, observer, academic_year, term, activity_date, verbal_feedback_date, written_feedback_date,
       1 AS n, cohorts, year_groups, activity, subject_id
  FROM qa.evidence WHERE withdrawn_at IS NULL;
SELECT qa.apply_feedback_grain('subject');
SELECT qa.apply_feedback_grain('subject_overall');
SELECT qa.apply_feedback_grain('activity_overall');
DROP TABLE pg_temp.feedback_change;
