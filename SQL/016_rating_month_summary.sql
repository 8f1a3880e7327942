-- Questions by dates (`--from`, `--to`) from counts a load keeps, not from every rating of the days asked about.
--
-- The summaries of 004 and 006 keep terms, and a range of days rarely starts and ends on a term's edges; so a
-- distribution or cpd-needs by dates read each rating of the range and joined it to its record (three months at
-- 3 million records: a million ratings, 0.8 s for a distribution and 2 s for cpd-needs after 015's index).
-- This summary is rating_summary with the calendar month of the activity: the whole months inside a range are
-- read from it, and only the days of the months at its two ends (when it does not start on the 1st or end on a
-- month's last day) from the base tables (Sources/QAQuery/CountSource.swift). The term stays in the key: with
-- the trust's term dates a month can fall in two terms, and a question by dates may still be grouped by term.
-- At 3 million records it is about 3.3 million rows, 2.3 times rating_summary.
--
-- Loads keep it as they keep the others (006, 008): pg_temp.summary_change gains the month of each rating's
-- record, and qa.apply_summary_change() adds the change to this summary too. `calendar load` rebuilds it with
-- the others through qa.refresh_summaries().
-- Each page keeps room for updated rows (fillfactor 85): a load's change to a count then stays on its page with no
-- new index entry (a 1% reload's upkeep of this summary at 3 million records: 2.7 s with full pages, 1.4 s).
CREATE TABLE qa.rating_month_summary (
    LIKE qa.rating_summary,
    month         date NOT NULL
) WITH (fillfactor = 85);
-- The month leads: a question reads a range of months.
CREATE UNIQUE INDEX rating_month_summary_key ON qa.rating_month_summary
    (month, school_id, subject_id, activity, academic_year, term, standard) NULLS NOT DISTINCT;
SELECT qa.protect_by_school('qa.rating_month_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.rating_month_summary TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.rating_month_summary TO qa_owner;

-- cpd-needs' staff level by dates reads qa.support_evidence (012) for the range's days: without an index on the
-- day it read all 3.6 million rows at 3 million records (1.0 s for three months; 0.5 s with it).
CREATE INDEX support_evidence_date ON qa.support_evidence (activity_date);

-- As in 006, with the month of each record; the columns are named, as the table gained one.
CREATE OR REPLACE FUNCTION qa.take_away_stored_ratings(which text, batch bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    taken bigint;
BEGIN
    IF which NOT IN ('changed', 'withdrawn') THEN
        RAISE EXCEPTION 'unknown kind of change "%"', which;
    END IF;
    INSERT INTO pg_temp.summary_change (school_id, subject_id, staff_id, activity, academic_year, term, standard,
                                        cohorts, year_groups, n_red, n_amber, n_green, n_gold, month)
    SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.term, r.standard,
           e.cohorts, e.year_groups,
           -count(*) FILTER (WHERE r.rating = 'red'), -count(*) FILTER (WHERE r.rating = 'amber'),
           -count(*) FILTER (WHERE r.rating = 'green'), -count(*) FILTER (WHERE r.rating = 'gold'),
           date_trunc('month', e.activity_date)::date
      FROM qa.evidence e
      JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
     WHERE CASE WHEN which = 'changed'
                THEN e.evidence_pk IN (SELECT i.evidence_pk FROM pg_temp.incoming i WHERE i.change = 'changed')
                     AND e.withdrawn_at IS NULL
                ELSE e.withdrawn_batch = batch END
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 14;
    GET DIAGNOSTICS taken = ROW_COUNT;
    RETURN taken;
END
$$;

-- 008's upkeep with the month summary added: grouped straight from the change (the staff grain has no month).
CREATE OR REPLACE FUNCTION qa.apply_summary_change() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '512MB' AS $$
DECLARE
    grain text;
    keys text;
    source text;
    populated boolean;
    conflict text;
    index_definition text;
    filling_order text;
BEGIN
    DROP TABLE IF EXISTS pg_temp.summary_change_staff;
    CREATE TEMPORARY TABLE summary_change_staff ON COMMIT DROP AS
    SELECT school_id, subject_id, activity, academic_year, term, standard, staff_id,
           sum(n_red)::integer AS n_red, sum(n_amber)::integer AS n_amber,
           sum(n_green)::integer AS n_green, sum(n_gold)::integer AS n_gold
      FROM pg_temp.summary_change
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, staff_id;

    FOREACH grain IN ARRAY ARRAY['rating_school_summary', 'rating_summary', 'rating_staff_summary',
                                 'rating_cohort_summary', 'rating_year_group_summary', 'rating_month_summary'] LOOP
        keys := CASE grain WHEN 'rating_school_summary' THEN 'school_id, academic_year, term, standard'
                           ELSE 'school_id, subject_id, activity, academic_year, term, standard' END
             || CASE grain WHEN 'rating_staff_summary' THEN ', staff_id'
                           WHEN 'rating_cohort_summary' THEN ', cohort'
                           WHEN 'rating_year_group_summary' THEN ', year_group'
                           WHEN 'rating_month_summary' THEN ', month' ELSE '' END;
        source := CASE grain
            WHEN 'rating_cohort_summary' THEN
                'pg_temp.summary_change c, unnest(CASE WHEN cardinality(c.cohorts) = 0 THEN ARRAY[''unspecified''] ELSE c.cohorts END) AS x(cohort)'
            WHEN 'rating_year_group_summary' THEN
                'pg_temp.summary_change c, unnest(CASE WHEN cardinality(c.year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE c.year_groups END) AS x(year_group)'
            WHEN 'rating_month_summary' THEN 'pg_temp.summary_change c'
            ELSE 'pg_temp.summary_change_staff c' END;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM qa.%I)', grain) INTO populated;
        IF populated THEN
            conflict := format($on$
                ON CONFLICT (%s) DO UPDATE
                   SET n_red = t.n_red + excluded.n_red, n_amber = t.n_amber + excluded.n_amber,
                       n_green = t.n_green + excluded.n_green, n_gold = t.n_gold + excluded.n_gold
                $on$, keys);
        ELSE
            conflict := '';
            index_definition := pg_get_indexdef(format('qa.%I', grain || '_key')::regclass);
            EXECUTE format('DROP INDEX qa.%I', grain || '_key');
        END IF;
        -- An empty month summary is filled month by month: a question reads a range of months, and with the rows
        -- of one month side by side three months took 0.18 s to read at 3 million records instead of 0.48 s.
        -- Later loads add mostly to the latest months, at the table's end.
        filling_order := CASE WHEN grain = 'rating_month_summary' AND NOT populated THEN 'ORDER BY month' ELSE '' END;
        EXECUTE format($sql$
            INSERT INTO qa.%1$I AS t (%2$s, n_red, n_amber, n_green, n_gold)
            SELECT %2$s, sum(n_red), sum(n_amber), sum(n_green), sum(n_gold)
              FROM %3$s
             GROUP BY %2$s
            %5$s
            %4$s
            $sql$, grain, keys, source, conflict, filling_order);
        IF NOT populated THEN
            EXECUTE index_definition;
            EXECUTE format('ANALYZE qa.%I', grain);
        END IF;
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_temp.summary_change WHERE n_red < 0 OR n_amber < 0 OR n_green < 0 OR n_gold < 0) THEN
        DELETE FROM qa.rating_school_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_staff_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_cohort_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_year_group_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_month_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
    END IF;
    DROP TABLE pg_temp.summary_change_staff;
END
$$;

-- 008's rebuild (renamed by 009) with the month summary.
CREATE OR REPLACE FUNCTION qa.refresh_rating_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    WITH days AS MATERIALIZED (
        SELECT day, qa.term_of(day) AS term FROM (SELECT DISTINCT activity_date AS day FROM qa.evidence) d)
    UPDATE qa.evidence e SET term = days.term
      FROM days WHERE e.activity_date = days.day AND e.term <> days.term;

    TRUNCATE qa.rating_summary, qa.rating_staff_summary, qa.rating_cohort_summary, qa.rating_year_group_summary,
             qa.rating_school_summary, qa.rating_month_summary;
    DROP TABLE IF EXISTS pg_temp.summary_change;
    CREATE TEMPORARY TABLE summary_change ON COMMIT DROP AS
    SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.term, r.standard,
           e.cohorts, e.year_groups,
           (r.rating = 'red')::integer AS n_red, (r.rating = 'amber')::integer AS n_amber,
           (r.rating = 'green')::integer AS n_green, (r.rating = 'gold')::integer AS n_gold,
           date_trunc('month', e.activity_date)::date AS month
      FROM qa.rating r
      JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
     WHERE e.withdrawn_at IS NULL;
    PERFORM qa.apply_summary_change();
    DROP TABLE pg_temp.summary_change;
END;
$$;

-- Records already loaded: the summary is filled from them once, its index built after.
DROP INDEX qa.rating_month_summary_key;
INSERT INTO qa.rating_month_summary
SELECT e.school_id, e.subject_id, e.activity, e.academic_year, e.term, r.standard,
       count(*) FILTER (WHERE r.rating = 'red'), count(*) FILTER (WHERE r.rating = 'amber'),
       count(*) FILTER (WHERE r.rating = 'green'), count(*) FILTER (WHERE r.rating = 'gold'),
       date_trunc('month', e.activity_date)::date
  FROM qa.rating r
  JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
 WHERE e.withdrawn_at IS NULL
 GROUP BY 1, 2, 3, 4, 5, 6, 11
 ORDER BY 11;
CREATE UNIQUE INDEX rating_month_summary_key ON qa.rating_month_summary
    (month, school_id, subject_id, activity, academic_year, term, standard) NULLS NOT DISTINCT;
ANALYZE qa.rating_month_summary;
