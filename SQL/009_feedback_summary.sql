-- A summary of feedback timeliness that loads keep up to date, so `query feedback` (and the export) reads a few
-- hundred thousand rows instead of every record with three calendar lookups each: at 3 million records the
-- query took 4.6 s over the base tables.
--
-- One row per school, observer, academic year, term, kind of feedback (verbal, written) and working days taken
-- (NULL when no feedback is recorded), with the number of records. Feedback not yet given is pending until its
-- deadline passes, which depends on the day the question is asked; so such a record keeps its activity's
-- working-day index (activity_idx) while it could still be pending, and loses it (NULL: overdue) once it is
-- overdue as of the summary's as_of day: the latest activity date loaded (never later than the day of the load,
-- as no record is dated in the future), and never moving back. The query uses the summary only for a day on or
-- after as_of, and falls back to the base tables otherwise (and for filters the summary does not carry: subject,
-- staff, activity, cohort, year group, standard, dates).
CREATE TABLE qa.feedback_summary (
    school_id     integer NOT NULL,
    observer      text,
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('verbal', 'written')),
    days          integer,
    activity_idx  integer,
    n             integer NOT NULL
);
CREATE UNIQUE INDEX feedback_summary_key ON qa.feedback_summary
    (school_id, observer, academic_year, term, kind, days, activity_idx) NULLS NOT DISTINCT;

-- The same without year and term: what a question over every year reads (a quarter of the rows at 3 million
-- records: observers give few records to each term, so the finer grain hardly groups them).
CREATE TABLE qa.feedback_overall_summary (
    school_id     integer NOT NULL,
    observer      text,
    kind          text NOT NULL CHECK (kind IN ('verbal', 'written')),
    days          integer,
    activity_idx  integer,
    n             integer NOT NULL
);
CREATE UNIQUE INDEX feedback_overall_summary_key ON qa.feedback_overall_summary
    (school_id, observer, kind, days, activity_idx) NULLS NOT DISTINCT;

-- The day the summary's "overdue" judgements were made (one row).
CREATE TABLE qa.feedback_summary_state (
    as_of date NOT NULL
);

-- Working days allowed for feedback (policy 7.1 and 7.2); QACore.FeedbackDeadline has the same numbers, and a
-- test checks that they agree.
CREATE FUNCTION qa.feedback_deadline(kind text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE kind WHEN 'verbal' THEN 5 WHEN 'written' THEN 10 END;

-- Adds pg_temp.feedback_change (records added with n = 1, records taken away with n = -1) to the summary,
-- judging overdue feedback as of the latest of: `as_of`, the summary's own as_of, the latest activity added.
CREATE FUNCTION qa.apply_feedback_change(as_of date DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- As SQL/008: room to hash a first load's groups in memory (3 million records: 16 s with 256 MB, 9 s with 512).
    SET work_mem = '512MB' AS $$
DECLARE
    judged date := greatest(as_of, (SELECT s.as_of FROM qa.feedback_summary_state s),
                            (SELECT max(c.activity_date) FROM pg_temp.feedback_change c WHERE c.n > 0));
    today_idx text := coalesce((SELECT idx FROM qa.working_day WHERE day = judged)::text, 'NULL');
    grain text;
    keys text;
    populated boolean;
    index_definition text;
BEGIN
    -- The change at the finer grain, working days looked up once; both summaries are grouped from it.
    DROP TABLE IF EXISTS pg_temp.feedback_change_rows;
    EXECUTE format($sql$
        CREATE TEMPORARY TABLE feedback_change_rows ON COMMIT DROP AS
        SELECT c.school_id, c.observer, c.academic_year, c.term, k.kind, k.days,
               CASE WHEN k.days IS NULL AND %1$s - wa.idx <= qa.feedback_deadline(k.kind) THEN wa.idx END AS activity_idx,
               sum(c.n)::integer AS n
          FROM pg_temp.feedback_change c
          JOIN qa.working_day wa ON wa.day = c.activity_date
          LEFT JOIN qa.working_day wv ON wv.day = c.verbal_feedback_date
          LEFT JOIN qa.working_day ww ON ww.day = c.written_feedback_date
         CROSS JOIN LATERAL (VALUES ('verbal', wv.idx - wa.idx), ('written', ww.idx - wa.idx)) AS k(kind, days)
         GROUP BY 1, 2, 3, 4, 5, 6, 7
        $sql$, today_idx);

    FOREACH grain IN ARRAY ARRAY['feedback_summary', 'feedback_overall_summary'] LOOP
        keys := CASE grain WHEN 'feedback_summary' THEN 'school_id, observer, academic_year, term, kind, days'
                           ELSE 'school_id, observer, kind, days' END;
        -- Rows kept as possibly pending that are overdue by now lose their activity day first, so that a record
        -- taken away below finds the row it was counted in.
        EXECUTE format($sql$
            WITH overdue AS (
                DELETE FROM qa.%1$I
                 WHERE activity_idx IS NOT NULL AND %2$s - activity_idx > qa.feedback_deadline(kind)
                RETURNING %3$s, n)
            INSERT INTO qa.%1$I AS t (%3$s, activity_idx, n)
            SELECT %3$s, NULL, sum(n) FROM overdue GROUP BY %3$s
            ON CONFLICT (%3$s, activity_idx) DO UPDATE SET n = t.n + excluded.n
            $sql$, grain, today_idx, keys);

        EXECUTE format('SELECT EXISTS (SELECT 1 FROM qa.%I)', grain) INTO populated;
        IF NOT populated THEN
            -- The first load: insert without the index and build it once afterwards (as SQL/008 does).
            index_definition := pg_get_indexdef(format('qa.%I', grain || '_key')::regclass);
            EXECUTE format('DROP INDEX qa.%I', grain || '_key');
        END IF;
        EXECUTE format($sql$
            INSERT INTO qa.%1$I AS t (%2$s, activity_idx, n)
            SELECT %2$s, activity_idx, sum(n) FROM pg_temp.feedback_change_rows GROUP BY %2$s, activity_idx
            %3$s
            $sql$, grain, keys,
            CASE WHEN populated THEN format('ON CONFLICT (%s, activity_idx) DO UPDATE SET n = t.n + excluded.n', keys)
                 ELSE '' END);
        IF NOT populated THEN
            EXECUTE index_definition;
            EXECUTE format('ANALYZE qa.%I', grain);
        END IF;
        IF EXISTS (SELECT 1 FROM pg_temp.feedback_change WHERE n < 0) THEN
            EXECUTE format('DELETE FROM qa.%I WHERE n = 0', grain);
        END IF;
    END LOOP;
    DROP TABLE pg_temp.feedback_change_rows;

    -- With no records there is nothing to judge: no as_of, and queries read the (empty) base tables.
    DELETE FROM qa.feedback_summary_state;
    INSERT INTO qa.feedback_summary_state (as_of) SELECT judged WHERE judged IS NOT NULL;
END
$$;

-- Rebuilds the summary from every current record: after closure days change (working days move) and after
-- term dates change (records move between terms), and from migrations. The as_of day stays where it was
-- (unless one is given), so a rebuild equals the summary the loads kept.
CREATE FUNCTION qa.refresh_feedback_summary(as_of date DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    judged date := coalesce(as_of, (SELECT s.as_of FROM qa.feedback_summary_state s));
BEGIN
    TRUNCATE qa.feedback_summary, qa.feedback_overall_summary;
    DELETE FROM qa.feedback_summary_state;
    DROP TABLE IF EXISTS pg_temp.feedback_change;
    CREATE TEMPORARY TABLE feedback_change ON COMMIT DROP AS
    SELECT school_id, observer, academic_year, term, activity_date, verbal_feedback_date, written_feedback_date,
           1 AS n
      FROM qa.evidence WHERE withdrawn_at IS NULL;
    PERFORM qa.apply_feedback_change(judged);
    DROP TABLE pg_temp.feedback_change;
END
$$;

-- Closure days change working-day counts: after SQL/007's trigger has recounted them (triggers on one event
-- fire in the order of their names), this one rebuilds the summary.
CREATE FUNCTION qa.refresh_feedback_summary_after_closures() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_feedback_summary();
    RETURN NULL;
END
$$;

CREATE TRIGGER closure_days_changed_then_feedback
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON qa.closure_day
    FOR EACH STATEMENT EXECUTE FUNCTION qa.refresh_feedback_summary_after_closures();

-- Term dates move records between terms: the full rebuild rebuilds the feedback summaries as well. SQL/008's
-- rebuild of the rating summaries keeps its body (and its grants) under a new name, called from the new one.
ALTER FUNCTION qa.refresh_summaries() RENAME TO refresh_rating_summaries;

CREATE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_rating_summaries();
    PERFORM qa.refresh_feedback_summary();
END
$$;

-- Who may read it: as the rating summaries, except that the analyst never sees observers' names.
SELECT qa.protect_by_school('qa.feedback_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.feedback_overall_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.feedback_summary, qa.feedback_overall_summary, qa.feedback_summary_state
    TO qa_trust_leader, qa_school_leader;
GRANT SELECT (school_id, academic_year, term, kind, days, activity_idx, n) ON qa.feedback_summary TO qa_analyst;
GRANT SELECT (school_id, kind, days, activity_idx, n) ON qa.feedback_overall_summary TO qa_analyst;
GRANT SELECT ON qa.feedback_summary_state TO qa_analyst, qa_loader;
GRANT ALL ON qa.feedback_summary, qa.feedback_overall_summary, qa.feedback_summary_state TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.apply_feedback_change(date), qa.refresh_feedback_summary(date), qa.refresh_summaries()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.refresh_summaries() TO qa_loader, qa_owner;
GRANT EXECUTE ON FUNCTION qa.apply_feedback_change(date) TO qa_loader, qa_owner;
GRANT EXECUTE ON FUNCTION qa.refresh_feedback_summary(date) TO qa_owner;

-- Fill it from the records already loaded.
SELECT qa.refresh_feedback_summary();
