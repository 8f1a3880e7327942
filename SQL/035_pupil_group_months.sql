-- Cohort and year-group counts by calendar month, for questions by dates that are not whole terms. A distribution
-- by cohort (or for one) from 1 October to 15 May has no summary for its months: 016's month summary has no
-- cohort, and 034's cohort counts are by term, so the autumn and summer terms' days inside the range were read from
-- every rating, each unnested by its record's cohorts (2.3 s at 3 million records for standard x cohort). These hold
-- 034's term counts by month too, so the whole months come from here and only the days of the months at the range's
-- ends from the ratings, as for 016:
--
--   rating_cohort_month_summary      school x year x term x month x standard x cohort
--   rating_year_group_month_summary  school x year x term x month x standard x year group
--
-- The term stays in the key, as in 016: with the trust's term dates a month can fall in two terms. A rating counts
-- once under each cohort or year group of its record ('unspecified' for a record naming no cohort, NULL for one
-- naming no year group), as in 004 and 034.
--
-- Loads keep them (qa.apply_summary_change, restated below from 034 with the two): the change is unnested by cohort
-- and year group for each; a table found empty is filled from every rating in use (the load has written its records
-- by then; a first load's change is every rating already), which is also how this migration fills them. Each page keeps room for updated counts (fillfactor 85).
CREATE TABLE qa.rating_cohort_month_summary (
    school_id     integer NOT NULL,
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    month         date NOT NULL,
    standard      smallint NOT NULL,
    cohort        text NOT NULL,
    n_red         integer NOT NULL,
    n_amber       integer NOT NULL,
    n_green       integer NOT NULL,
    n_gold        integer NOT NULL
) WITH (fillfactor = 85);
-- The month leads: a question reads a range of months.
CREATE UNIQUE INDEX rating_cohort_month_summary_key ON qa.rating_cohort_month_summary
    (month, school_id, academic_year, term, standard, cohort);

CREATE TABLE qa.rating_year_group_month_summary (
    school_id     integer NOT NULL,
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    month         date NOT NULL,
    standard      smallint NOT NULL,
    year_group    smallint,
    n_red         integer NOT NULL,
    n_amber       integer NOT NULL,
    n_green       integer NOT NULL,
    n_gold        integer NOT NULL
) WITH (fillfactor = 85);
CREATE UNIQUE INDEX rating_year_group_month_summary_key ON qa.rating_year_group_month_summary
    (month, school_id, academic_year, term, standard, year_group) NULLS NOT DISTINCT;

-- Who may read them: as every rating summary (004, 005), and autovacuum after 1% of their rows change (019).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rating_cohort_month_summary', 'rating_year_group_month_summary'] LOOP
        PERFORM qa.protect_by_school(format('qa.%I', t)::regclass, 'qa.visible_school(school_id)');
        EXECUTE format('GRANT SELECT ON qa.%I TO qa_trust_leader, qa_school_leader, qa_analyst', t);
        EXECUTE format('GRANT ALL ON qa.%I TO qa_owner', t);
        EXECUTE format('ALTER TABLE qa.%I SET (autovacuum_vacuum_scale_factor = 0.01, '
                       'autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01)', t);
    END LOOP;
END
$$;

-- 034's upkeep with the two tables above. Otherwise as 034.
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
    emptied boolean;
    -- Whether no rating was counted before this change (a first load, or the rebuild): then the change holds every
    -- rating in use. Asked before any summary is changed.
    first_change constant boolean := NOT EXISTS (SELECT 1 FROM qa.rating_school_summary);
    -- Every rating in use in summary_change's columns, for an empty table of 035 after the first change.
    every_rating constant text := $rows$
        (SELECT e.school_id, e.academic_year, e.term, date_trunc('month', e.activity_date)::date AS month, r.standard,
                e.cohorts, e.year_groups, (r.rating = 'red')::integer AS n_red, (r.rating = 'amber')::integer AS n_amber,
                (r.rating = 'green')::integer AS n_green, (r.rating = 'gold')::integer AS n_gold
           FROM qa.rating r JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
          WHERE e.withdrawn_at IS NULL)
        $rows$;
BEGIN
    DROP TABLE IF EXISTS pg_temp.summary_change_staff;
    CREATE TEMPORARY TABLE summary_change_staff ON COMMIT DROP AS
    SELECT school_id, subject_id, activity, academic_year, term, standard, staff_id,
           sum(n_red)::integer AS n_red, sum(n_amber)::integer AS n_amber,
           sum(n_green)::integer AS n_green, sum(n_gold)::integer AS n_gold
      FROM pg_temp.summary_change
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, staff_id;
    -- The change unnested by cohort and by year group once, grouped as 004's summaries are, for those summaries and
    -- 034's: unnesting it again for each of 034's cost a 1% reload's upkeep about 0.35 s a table at 3 million
    -- records. Groups whose change adds up to nothing are left out (they change no table).
    DROP TABLE IF EXISTS pg_temp.summary_change_cohort;
    CREATE TEMPORARY TABLE summary_change_cohort ON COMMIT DROP AS
    SELECT c.school_id, c.subject_id, c.activity, c.academic_year, c.term, c.standard, x.cohort,
           sum(c.n_red)::integer AS n_red, sum(c.n_amber)::integer AS n_amber,
           sum(c.n_green)::integer AS n_green, sum(c.n_gold)::integer AS n_gold
      FROM pg_temp.summary_change c,
           unnest(CASE WHEN cardinality(c.cohorts) = 0 THEN ARRAY['unspecified'] ELSE c.cohorts END) AS x(cohort)
     GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.n_red) <> 0 OR sum(c.n_amber) <> 0 OR sum(c.n_green) <> 0 OR sum(c.n_gold) <> 0;
    DROP TABLE IF EXISTS pg_temp.summary_change_year_group;
    CREATE TEMPORARY TABLE summary_change_year_group ON COMMIT DROP AS
    SELECT c.school_id, c.subject_id, c.activity, c.academic_year, c.term, c.standard, x.year_group,
           sum(c.n_red)::integer AS n_red, sum(c.n_amber)::integer AS n_amber,
           sum(c.n_green)::integer AS n_green, sum(c.n_gold)::integer AS n_gold
      FROM pg_temp.summary_change c,
           unnest(CASE WHEN cardinality(c.year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE c.year_groups END) AS x(year_group)
     GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.n_red) <> 0 OR sum(c.n_amber) <> 0 OR sum(c.n_green) <> 0 OR sum(c.n_gold) <> 0;

    -- The four of 034 come after 004's cohort and year-group summaries, which fill them when they are empty; 035's
    -- two last.
    FOREACH grain IN ARRAY ARRAY['rating_school_summary', 'rating_summary', 'rating_staff_summary',
                                 'rating_cohort_summary', 'rating_year_group_summary', 'rating_month_summary',
                                 'rating_cohort_term_summary', 'rating_year_group_term_summary',
                                 'rating_cohort_subject_summary', 'rating_year_group_subject_summary',
                                 'rating_cohort_month_summary', 'rating_year_group_month_summary'] LOOP
        keys := CASE grain
            WHEN 'rating_school_summary' THEN 'school_id, academic_year, term, standard'
            WHEN 'rating_cohort_term_summary' THEN 'school_id, academic_year, term, standard, cohort'
            WHEN 'rating_year_group_term_summary' THEN 'school_id, academic_year, term, standard, year_group'
            WHEN 'rating_cohort_subject_summary' THEN 'school_id, subject_id, standard, cohort'
            WHEN 'rating_year_group_subject_summary' THEN 'school_id, subject_id, standard, year_group'
            WHEN 'rating_cohort_month_summary' THEN 'school_id, academic_year, term, month, standard, cohort'
            WHEN 'rating_year_group_month_summary' THEN 'school_id, academic_year, term, month, standard, year_group'
            ELSE 'school_id, subject_id, activity, academic_year, term, standard'
                 || CASE grain WHEN 'rating_staff_summary' THEN ', staff_id'
                               WHEN 'rating_cohort_summary' THEN ', cohort'
                               WHEN 'rating_year_group_summary' THEN ', year_group'
                               WHEN 'rating_month_summary' THEN ', month' ELSE '' END
            END;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM qa.%I)', grain) INTO populated;
        source := CASE
            -- 035's: the change by cohort or year group and month, unnested here (the change grouped by month too,
            -- for 004's summaries, would be as big again); an empty table after the first change from every rating
            -- in use, whose records the load has already written. (A first load's change is every rating: grouped
            -- from it, 24.7 s a table at 3 million records; from the ratings joined to their records, 46.9 s.)
            WHEN grain = 'rating_cohort_month_summary' THEN format($src$
                (SELECT c.school_id, c.academic_year, c.term, c.month, c.standard, x.cohort,
                        c.n_red, c.n_amber, c.n_green, c.n_gold
                   FROM %s c,
                        unnest(CASE WHEN cardinality(c.cohorts) = 0 THEN ARRAY['unspecified'] ELSE c.cohorts END) AS x(cohort)) c
                $src$, CASE WHEN populated OR first_change THEN 'pg_temp.summary_change' ELSE every_rating END)
            WHEN grain = 'rating_year_group_month_summary' THEN format($src$
                (SELECT c.school_id, c.academic_year, c.term, c.month, c.standard, x.year_group,
                        c.n_red, c.n_amber, c.n_green, c.n_gold
                   FROM %s c,
                        unnest(CASE WHEN cardinality(c.year_groups) = 0 THEN ARRAY[NULL::smallint]
                                    ELSE c.year_groups END) AS x(year_group)) c
                $src$, CASE WHEN populated OR first_change THEN 'pg_temp.summary_change' ELSE every_rating END)
            WHEN grain IN ('rating_cohort_term_summary', 'rating_cohort_subject_summary') AND NOT populated
                THEN 'qa.rating_cohort_summary c'
            WHEN grain IN ('rating_year_group_term_summary', 'rating_year_group_subject_summary') AND NOT populated
                THEN 'qa.rating_year_group_summary c'
            WHEN grain IN ('rating_cohort_summary', 'rating_cohort_term_summary', 'rating_cohort_subject_summary')
                THEN 'pg_temp.summary_change_cohort c'
            WHEN grain IN ('rating_year_group_summary', 'rating_year_group_term_summary', 'rating_year_group_subject_summary')
                THEN 'pg_temp.summary_change_year_group c'
            WHEN grain = 'rating_month_summary' THEN 'pg_temp.summary_change c'
            ELSE 'pg_temp.summary_change_staff c' END;
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
        filling_order := CASE WHEN grain IN ('rating_month_summary', 'rating_cohort_month_summary',
                                             'rating_year_group_month_summary') AND NOT populated
                              THEN 'ORDER BY month' ELSE '' END;
        EXECUTE format($sql$
            WITH written AS (
                INSERT INTO qa.%1$I AS t (%2$s, n_red, n_amber, n_green, n_gold)
                SELECT %2$s, sum(n_red), sum(n_amber), sum(n_green), sum(n_gold)
                  FROM %3$s
                 GROUP BY %2$s
                HAVING sum(n_red) <> 0 OR sum(n_amber) <> 0 OR sum(n_green) <> 0 OR sum(n_gold) <> 0
                %5$s
                %4$s
                RETURNING t.n_red, t.n_amber, t.n_green, t.n_gold)
            SELECT coalesce(bool_or(n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0), false) FROM written
            $sql$, grain, keys, source, conflict, filling_order) INTO emptied;
        -- Rows whose counts all came to 0 go, read for only where some did.
        IF emptied THEN
            EXECUTE format('DELETE FROM qa.%I WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0', grain);
        END IF;
        IF NOT populated THEN
            EXECUTE index_definition;
            EXECUTE format('ANALYZE qa.%I', grain);
        END IF;
    END LOOP;

    DROP TABLE pg_temp.summary_change_staff, pg_temp.summary_change_cohort, pg_temp.summary_change_year_group;
END
$$;

-- 034's rebuild with the two tables above (emptied with the others, then filled by the upkeep above). Otherwise
-- as 034.
CREATE OR REPLACE FUNCTION qa.refresh_rating_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    WITH days AS MATERIALIZED (
        SELECT day, qa.term_of(day) AS term FROM (SELECT DISTINCT activity_date AS day FROM qa.evidence) d)
    UPDATE qa.evidence e SET term = days.term
      FROM days WHERE e.activity_date = days.day AND e.term <> days.term;

    TRUNCATE qa.rating_summary, qa.rating_staff_summary, qa.rating_cohort_summary, qa.rating_year_group_summary,
             qa.rating_school_summary, qa.rating_month_summary, qa.rating_cohort_term_summary,
             qa.rating_year_group_term_summary, qa.rating_cohort_subject_summary, qa.rating_year_group_subject_summary,
             qa.rating_cohort_month_summary, qa.rating_year_group_month_summary;
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

-- Records already loaded: given a change of nothing, the upkeep above fills the two tables, empty, from every rating
-- in use, and changes nothing else.
CREATE TEMPORARY TABLE summary_change ON COMMIT DROP AS
SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.term, r.standard,
       e.cohorts, e.year_groups, 0 AS n_red, 0 AS n_amber, 0 AS n_green, 0 AS n_gold,
       date_trunc('month', e.activity_date)::date AS month
  FROM qa.rating r
  JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
 WHERE false;
SELECT qa.apply_summary_change();
DROP TABLE pg_temp.summary_change;
