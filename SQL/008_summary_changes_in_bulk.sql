-- Faster summary upkeep for big loads (replaces qa.apply_summary_change of 006).
--
-- Measured at the large scale (a first load of 1,000,000 records, 3.5 million ratings), the summaries took
-- 57 s of a 131 s load. Three changes:
--   * the staff grain is grouped once into a temporary table, and the two coarser summaries (rating_summary,
--     rating_school_summary) are grouped from it instead of from every changed rating again;
--   * the grouping gets the memory to hash instead of sorting through temporary files;
--   * a summary that is empty (the first load) is filled with its unique index dropped and then rebuilt:
--     building a b-tree from sorted rows is several times cheaper than inserting millions of keys one by one.
-- pg_temp.summary_change may now hold a row per rating (the loader no longer groups what it adds): each
-- statement here groups anyway.

CREATE OR REPLACE FUNCTION qa.apply_summary_change() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- Room to group a big load's ratings in memory: with 256 MB the cohort and year-group summaries of a
    -- first load of a million records were sorted through 330 MB of temporary files (12 s each); hashed
    -- in memory they take 7 s. Memory is used only as the groups need it.
    SET work_mem = '512MB' AS $$
DECLARE
    grain text;
    keys text;
    source text;
    populated boolean;
    conflict text;
    index_definition text;
BEGIN
    -- The staff grain of the change, grouped once: the source of three summaries.
    DROP TABLE IF EXISTS pg_temp.summary_change_staff;
    CREATE TEMPORARY TABLE summary_change_staff ON COMMIT DROP AS
    SELECT school_id, subject_id, activity, academic_year, term, standard, staff_id,
           sum(n_red)::integer AS n_red, sum(n_amber)::integer AS n_amber,
           sum(n_green)::integer AS n_green, sum(n_gold)::integer AS n_gold
      FROM pg_temp.summary_change
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, staff_id;

    FOREACH grain IN ARRAY ARRAY['rating_school_summary', 'rating_summary', 'rating_staff_summary',
                                 'rating_cohort_summary', 'rating_year_group_summary'] LOOP
        keys := CASE grain WHEN 'rating_school_summary' THEN 'school_id, academic_year, term, standard'
                           ELSE 'school_id, subject_id, activity, academic_year, term, standard' END
             || CASE grain WHEN 'rating_staff_summary' THEN ', staff_id'
                           WHEN 'rating_cohort_summary' THEN ', cohort'
                           WHEN 'rating_year_group_summary' THEN ', year_group' ELSE '' END;
        source := CASE grain
            WHEN 'rating_cohort_summary' THEN
                'pg_temp.summary_change c, unnest(CASE WHEN cardinality(c.cohorts) = 0 THEN ARRAY[''unspecified''] ELSE c.cohorts END) AS x(cohort)'
            WHEN 'rating_year_group_summary' THEN
                'pg_temp.summary_change c, unnest(CASE WHEN cardinality(c.year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE c.year_groups END) AS x(year_group)'
            ELSE 'pg_temp.summary_change_staff c' END;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM qa.%I)', grain) INTO populated;
        IF populated THEN
            conflict := format($on$
                ON CONFLICT (%s) DO UPDATE
                   SET n_red = t.n_red + excluded.n_red, n_amber = t.n_amber + excluded.n_amber,
                       n_green = t.n_green + excluded.n_green, n_gold = t.n_gold + excluded.n_gold
                $on$, keys);
        ELSE
            -- Nothing to conflict with: insert without the index, then build it again, as it was, in one pass.
            conflict := '';
            index_definition := pg_get_indexdef(format('qa.%I', grain || '_key')::regclass);
            EXECUTE format('DROP INDEX qa.%I', grain || '_key');
        END IF;
        EXECUTE format($sql$
            INSERT INTO qa.%1$I AS t (%2$s, n_red, n_amber, n_green, n_gold)
            SELECT %2$s, sum(n_red), sum(n_amber), sum(n_green), sum(n_gold)
              FROM %3$s
             GROUP BY %2$s
            %4$s
            $sql$, grain, keys, source, conflict);
        IF NOT populated THEN
            EXECUTE index_definition;
            -- A summary filled from nothing has no statistics until autovacuum comes by; queries need them now.
            EXECUTE format('ANALYZE qa.%I', grain);
        END IF;
    END LOOP;

    -- Groups whose every rating was taken away would otherwise show as groups of n = 0.
    -- Only a load that took ratings away can leave one.
    IF EXISTS (SELECT 1 FROM pg_temp.summary_change WHERE n_red < 0 OR n_amber < 0 OR n_green < 0 OR n_gold < 0) THEN
        DELETE FROM qa.rating_school_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_staff_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_cohort_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
        DELETE FROM qa.rating_year_group_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
    END IF;
    DROP TABLE pg_temp.summary_change_staff;
END
$$;

-- The full rebuild (`calendar load` needs it: term dates move ratings between terms) now empties the
-- summaries and applies every rating as one change, so it takes the bulk path above instead of
-- maintaining each index row by row.
CREATE OR REPLACE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- Term dates may have changed since records were loaded: the stored terms follow first.
    WITH days AS MATERIALIZED (
        SELECT day, qa.term_of(day) AS term FROM (SELECT DISTINCT activity_date AS day FROM qa.evidence) d)
    UPDATE qa.evidence e SET term = days.term
      FROM days WHERE e.activity_date = days.day AND e.term <> days.term;

    TRUNCATE qa.rating_summary, qa.rating_staff_summary, qa.rating_cohort_summary, qa.rating_year_group_summary,
             qa.rating_school_summary;
    DROP TABLE IF EXISTS pg_temp.summary_change;
    CREATE TEMPORARY TABLE summary_change ON COMMIT DROP AS
    SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.term, r.standard,
           e.cohorts, e.year_groups,
           (r.rating = 'red')::integer AS n_red, (r.rating = 'amber')::integer AS n_amber,
           (r.rating = 'green')::integer AS n_green, (r.rating = 'gold')::integer AS n_gold
      FROM qa.rating r
      JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
     WHERE e.withdrawn_at IS NULL;
    PERFORM qa.apply_summary_change();
    DROP TABLE pg_temp.summary_change;
END;
$$;
