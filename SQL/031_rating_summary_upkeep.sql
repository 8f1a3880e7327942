-- A load's upkeep of the six rating summaries (016's qa.apply_summary_change), with what 030 did for the feedback
-- tables. A changed record's ratings are taken away and added back (pg_temp.summary_change, n < 0 and n > 0), and
-- most of them are the same ratings as before: their groups add up to nothing, and were written again all the same
-- (counts + 0: a new row version and new index entries each); then each of the six tables was read whole for rows
-- whose counts had all come to 0, after any load that took something away. Now a group whose change adds up to
-- nothing is left alone, and a table is read for rows come to 0 only when the statement that added the change
-- returned one. At 3 million records, on a change of 1% of the records with one rating each changed, the rest
-- taken away and added back as a reload does (rolled back, 7 December, by hand): 24.4-30.3 s (74 s once, with a
-- cold cache) -> 8.0-9.9 s. Otherwise as 016.
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

    DROP TABLE pg_temp.summary_change_staff;
END
$$;

-- 011's upkeep of the four staff summaries, likewise (the same change as above: 7.0-12.6 s -> 3.3-3.5 s). Otherwise
-- as 011.
CREATE OR REPLACE FUNCTION qa.apply_staff_summary_change(batch bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '512MB' AS $$
DECLARE
    grain text;
    keys text;
    source text;
    populated boolean;
    conflict text;
    index_definition text;
    unnested text;
    emptied boolean;
BEGIN
    FOREACH grain IN ARRAY ARRAY['rating_staff_overall_summary', 'rating_staff_term_summary',
                                 'rating_cohort_staff_summary', 'rating_year_group_staff_summary'] LOOP
        keys := CASE grain
            WHEN 'rating_staff_overall_summary' THEN 'school_id, subject_id, activity, standard, staff_id'
            WHEN 'rating_staff_term_summary' THEN 'school_id, academic_year, term, staff_id'
            WHEN 'rating_cohort_staff_summary' THEN 'school_id, standard, cohort, staff_id'
            ELSE 'school_id, standard, year_group, staff_id' END;
        unnested := CASE grain
            WHEN 'rating_cohort_staff_summary' THEN
                ', unnest(CASE WHEN cardinality(c.cohorts) = 0 THEN ARRAY[''unspecified''] ELSE c.cohorts END) AS x(cohort)'
            WHEN 'rating_year_group_staff_summary' THEN
                ', unnest(CASE WHEN cardinality(c.year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE c.year_groups END) AS x(year_group)'
            ELSE '' END;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM qa.%I)', grain) INTO populated;
        IF populated THEN
            source := 'pg_temp.summary_change c' || unnested;
            conflict := format($on$
                ON CONFLICT (%s) DO UPDATE
                   SET n_red = t.n_red + excluded.n_red, n_amber = t.n_amber + excluded.n_amber,
                       n_green = t.n_green + excluded.n_green, n_gold = t.n_gold + excluded.n_gold
                $on$, keys);
        ELSE
            source := CASE
                WHEN unnested = '' THEN 'qa.rating_staff_summary c'
                WHEN qa.every_record_written_by(batch) THEN 'pg_temp.summary_change c' || unnested
                ELSE $src$(SELECT e.school_id, r.standard, e.staff_id, e.cohorts, e.year_groups,
                                  (r.rating = 'red')::integer AS n_red, (r.rating = 'amber')::integer AS n_amber,
                                  (r.rating = 'green')::integer AS n_green, (r.rating = 'gold')::integer AS n_gold
                             FROM qa.rating r JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
                            WHERE e.withdrawn_at IS NULL) c$src$ || unnested END;
            conflict := '';
            index_definition := pg_get_indexdef(format('qa.%I', grain || '_key')::regclass);
            EXECUTE format('DROP INDEX qa.%I', grain || '_key');
        END IF;
        EXECUTE format($sql$
            WITH written AS (
                INSERT INTO qa.%1$I AS t (%2$s, n_red, n_amber, n_green, n_gold)
                SELECT %2$s, sum(n_red), sum(n_amber), sum(n_green), sum(n_gold)
                  FROM %3$s
                 GROUP BY %2$s
                HAVING sum(n_red) <> 0 OR sum(n_amber) <> 0 OR sum(n_green) <> 0 OR sum(n_gold) <> 0
                %4$s
                RETURNING t.n_red, t.n_amber, t.n_green, t.n_gold)
            SELECT coalesce(bool_or(n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0), false) FROM written
            $sql$, grain, keys, source, conflict) INTO emptied;
        IF NOT populated THEN
            EXECUTE index_definition;
            EXECUTE format('ANALYZE qa.%I', grain);
        END IF;
        -- Groups whose every rating was taken away would otherwise show as groups of n = 0: read for only where
        -- some counts came to 0.
        IF emptied THEN
            EXECUTE format('DELETE FROM qa.%I WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0', grain);
        END IF;
    END LOOP;
END
$$;
