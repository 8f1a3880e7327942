-- Month tables filled in the order of their key. A question by dates reads a range of months from
-- qa.rating_month_summary (016), 035's cohort and year-group tables by month, and qa.triangulation_month (017), each
-- by its unique index, whose key starts with the month. An empty table was filled month by month, but within a
-- month in whatever order the grouping gave, so the index scan went from page to page row by row: three months of
-- qa.rating_month_summary at 3 million records (308,000 rows) took 3 x 447 ms in PostgreSQL's three processes and
-- 310,000 page visits; the same rows copied in the key's order, 3 x 53 ms and 7,544 (cpd-needs' counts for
-- 1 February to 30 April, by hand: 401-449 ms -> 263-269 ms).
--
-- The two functions that fill them are restated with the key's order: qa.apply_summary_change (035's; otherwise
-- unchanged) and qa.add_triangulation_month_counts (033's; otherwise unchanged). Sorting by the whole key instead
-- of the month costs a fill little (it sorted the same rows). The four tables already filled are put in their
-- key's order here, once (CLUSTER: a rewrite of about 1 GB at 3 million records, under a lock that waits for
-- running questions and makes new ones wait).

-- 033's, filling in the key's order.
CREATE OR REPLACE FUNCTION qa.add_triangulation_month_counts(counts text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '512MB' AS $$
DECLARE
    names text;
    sums text;
    changed text;
    additions text;
    total text;
    conflict text := '';
    -- In the order of the table's key (037), as the month summaries are filled.
    filling_order text := 'ORDER BY c.month, c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard';
    emptied boolean;
BEGIN
    SELECT string_agg(quote_ident(name), ', ' ORDER BY k),
           string_agg(format('coalesce(sum(c.n) FILTER (WHERE c.k = %s), 0)', k - 1), ', ' ORDER BY k),
           string_agg(format('coalesce(sum(c.n) FILTER (WHERE c.k = %s), 0) <> 0', k - 1), ' OR ' ORDER BY k),
           string_agg(format('%1$I = t.%1$I + excluded.%1$I', name), ', ' ORDER BY k),
           string_agg(format('t.%I', name), ' + ' ORDER BY k)
      INTO names, sums, changed, additions, total
      FROM unnest(qa.triangulation_count_columns()) WITH ORDINALITY AS c(name, k);
    IF to_regclass('qa.triangulation_month_key') IS NOT NULL THEN
        conflict := 'ON CONFLICT (month, school_id, subject_id, deep_dive_id, academic_year, term, standard) DO UPDATE SET '
                    || additions;
        filling_order := '';
    END IF;
    EXECUTE format($sql$
        WITH written AS (
            INSERT INTO qa.triangulation_month AS t
                   (school_id, subject_id, deep_dive_id, academic_year, term, standard, month, %s)
            SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, c.month, %s
              FROM %s c
             GROUP BY c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, c.month
            HAVING %s
            %s
            %s
            RETURNING %s AS total)
        SELECT coalesce(bool_or(total = 0), false) FROM written
        $sql$, names, sums, counts, changed, filling_order, conflict, total) INTO emptied;
    RETURN emptied;
END
$$;

-- 035's, filling the month summaries in their keys' order.
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
        -- An empty month summary is filled in the order of its key (month first): a question reads a range of
        -- months by that index, row after row in the key's order, and rows in that order on the pages are read a
        -- page at a time (037; in month order only, each row was a page of its own). Later loads add mostly to the
        -- latest months, at the table's end.
        IF grain IN ('rating_month_summary', 'rating_cohort_month_summary', 'rating_year_group_month_summary')
           AND NOT populated THEN
            filling_order := 'ORDER BY month, ' || CASE grain
                WHEN 'rating_month_summary' THEN 'school_id, subject_id, activity, academic_year, term, standard'
                WHEN 'rating_cohort_month_summary' THEN 'school_id, academic_year, term, standard, cohort'
                ELSE 'school_id, academic_year, term, standard, year_group' END;
        ELSE
            filling_order := '';
        END IF;
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

CLUSTER qa.rating_month_summary USING rating_month_summary_key;
CLUSTER qa.rating_cohort_month_summary USING rating_cohort_month_summary_key;
CLUSTER qa.rating_year_group_month_summary USING rating_year_group_month_summary_key;
CLUSTER qa.triangulation_month USING triangulation_month_key;
ANALYZE qa.rating_month_summary, qa.rating_cohort_month_summary, qa.rating_year_group_month_summary,
        qa.triangulation_month;
