-- Keeps the rating summaries of 004 up to date by applying each load's changes instead of rebuilding
-- them: a nightly load that changes 1% of a trust's records then touches about 1% of the summaries.
--
-- A load fills a temporary table `summary_change` with one row per rating it adds (+1) or takes away
-- (-1), and `qa.apply_summary_change()` adds those counts to every summary. `qa.refresh_summaries()`
-- still rebuilds everything; `calendar load` needs it, because term dates move ratings between terms.

CREATE UNIQUE INDEX rating_summary_key ON qa.rating_summary
    (school_id, subject_id, activity, academic_year, term, standard) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX rating_staff_summary_key ON qa.rating_staff_summary
    (school_id, subject_id, activity, academic_year, term, standard, staff_id) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX rating_cohort_summary_key ON qa.rating_cohort_summary
    (school_id, subject_id, activity, academic_year, term, standard, cohort) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX rating_year_group_summary_key ON qa.rating_year_group_summary
    (school_id, subject_id, activity, academic_year, term, standard, year_group) NULLS NOT DISTINCT;

-- The ratings stored for records about to change or just withdrawn, taken away from the summaries.
-- Runs with the owner's rights: the loader itself may not read ratings.
--   which = 'changed': records of this load's `incoming` table that change and were counted before;
--   which = 'withdrawn': records withdrawn by batch `batch`.
CREATE FUNCTION qa.take_away_stored_ratings(which text, batch bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    taken bigint;
BEGIN
    IF which = 'changed' THEN
        INSERT INTO pg_temp.summary_change
        SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.activity_date,
               r.standard, r.rating, e.cohorts, e.year_groups, -1
          FROM pg_temp.incoming i
          JOIN qa.evidence e ON e.evidence_pk = i.evidence_pk
          JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
         WHERE i.change = 'changed' AND e.withdrawn_at IS NULL;
    ELSIF which = 'withdrawn' THEN
        INSERT INTO pg_temp.summary_change
        SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.activity_date,
               r.standard, r.rating, e.cohorts, e.year_groups, -1
          FROM qa.evidence e
          JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
         WHERE e.withdrawn_batch = batch;
    ELSE
        RAISE EXCEPTION 'unknown kind of change "%"', which;
    END IF;
    GET DIAGNOSTICS taken = ROW_COUNT;
    RETURN taken;
END
$$;

-- Adds the counts in pg_temp.summary_change to every summary, then removes groups left empty.
CREATE FUNCTION qa.apply_summary_change() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- The term is looked up once per distinct day, not once per rating. MATERIALIZED matters: without
    -- it PostgreSQL inlines qa.term_of into the join's output and runs it for every rating (8x slower).
    CREATE TEMPORARY TABLE summary_change_by_term ON COMMIT DROP AS
    WITH days AS MATERIALIZED (
        SELECT day, qa.term_of(day) AS term
          FROM (SELECT DISTINCT activity_date AS day FROM pg_temp.summary_change) d)
    SELECT c.*, days.term
      FROM pg_temp.summary_change c JOIN days ON days.day = c.activity_date;

    INSERT INTO qa.rating_staff_summary AS t
          (school_id, subject_id, activity, academic_year, term, standard, n_red, n_amber, n_green, n_gold, staff_id)
    SELECT school_id, subject_id, activity, academic_year, term, standard,
           coalesce(sum(sign) FILTER (WHERE rating = 'red'), 0), coalesce(sum(sign) FILTER (WHERE rating = 'amber'), 0),
           coalesce(sum(sign) FILTER (WHERE rating = 'green'), 0), coalesce(sum(sign) FILTER (WHERE rating = 'gold'), 0),
           staff_id
      FROM summary_change_by_term
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, staff_id
    ON CONFLICT (school_id, subject_id, activity, academic_year, term, standard, staff_id) DO UPDATE
       SET n_red = t.n_red + excluded.n_red, n_amber = t.n_amber + excluded.n_amber,
           n_green = t.n_green + excluded.n_green, n_gold = t.n_gold + excluded.n_gold;

    INSERT INTO qa.rating_summary AS t
          (school_id, subject_id, activity, academic_year, term, standard, n_red, n_amber, n_green, n_gold)
    SELECT school_id, subject_id, activity, academic_year, term, standard,
           coalesce(sum(sign) FILTER (WHERE rating = 'red'), 0), coalesce(sum(sign) FILTER (WHERE rating = 'amber'), 0),
           coalesce(sum(sign) FILTER (WHERE rating = 'green'), 0), coalesce(sum(sign) FILTER (WHERE rating = 'gold'), 0)
      FROM summary_change_by_term
     GROUP BY school_id, subject_id, activity, academic_year, term, standard
    ON CONFLICT (school_id, subject_id, activity, academic_year, term, standard) DO UPDATE
       SET n_red = t.n_red + excluded.n_red, n_amber = t.n_amber + excluded.n_amber,
           n_green = t.n_green + excluded.n_green, n_gold = t.n_gold + excluded.n_gold;

    INSERT INTO qa.rating_cohort_summary AS t
          (school_id, subject_id, activity, academic_year, term, standard, n_red, n_amber, n_green, n_gold, cohort)
    SELECT school_id, subject_id, activity, academic_year, term, standard,
           coalesce(sum(sign) FILTER (WHERE rating = 'red'), 0), coalesce(sum(sign) FILTER (WHERE rating = 'amber'), 0),
           coalesce(sum(sign) FILTER (WHERE rating = 'green'), 0), coalesce(sum(sign) FILTER (WHERE rating = 'gold'), 0),
           c.cohort
      FROM summary_change_by_term,
           unnest(CASE WHEN cardinality(cohorts) = 0 THEN ARRAY['unspecified'] ELSE cohorts END) AS c(cohort)
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, c.cohort
    ON CONFLICT (school_id, subject_id, activity, academic_year, term, standard, cohort) DO UPDATE
       SET n_red = t.n_red + excluded.n_red, n_amber = t.n_amber + excluded.n_amber,
           n_green = t.n_green + excluded.n_green, n_gold = t.n_gold + excluded.n_gold;

    INSERT INTO qa.rating_year_group_summary AS t
          (school_id, subject_id, activity, academic_year, term, standard, n_red, n_amber, n_green, n_gold, year_group)
    SELECT school_id, subject_id, activity, academic_year, term, standard,
           coalesce(sum(sign) FILTER (WHERE rating = 'red'), 0), coalesce(sum(sign) FILTER (WHERE rating = 'amber'), 0),
           coalesce(sum(sign) FILTER (WHERE rating = 'green'), 0), coalesce(sum(sign) FILTER (WHERE rating = 'gold'), 0),
           y.year_group
      FROM summary_change_by_term,
           unnest(CASE WHEN cardinality(year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE year_groups END)
               AS y(year_group)
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, y.year_group
    ON CONFLICT (school_id, subject_id, activity, academic_year, term, standard, year_group) DO UPDATE
       SET n_red = t.n_red + excluded.n_red, n_amber = t.n_amber + excluded.n_amber,
           n_green = t.n_green + excluded.n_green, n_gold = t.n_gold + excluded.n_gold;

    -- Groups whose every rating was taken away would otherwise show as groups of n = 0.
    -- Only a load that took ratings away can leave one.
    IF NOT EXISTS (SELECT 1 FROM pg_temp.summary_change WHERE sign < 0) THEN
        DROP TABLE summary_change_by_term;
        RETURN;
    END IF;
    DELETE FROM qa.rating_staff_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
    DELETE FROM qa.rating_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
    DELETE FROM qa.rating_cohort_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
    DELETE FROM qa.rating_year_group_summary WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0;
    DROP TABLE summary_change_by_term;
END
$$;

REVOKE EXECUTE ON FUNCTION qa.take_away_stored_ratings(text, bigint), qa.apply_summary_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.take_away_stored_ratings(text, bigint), qa.apply_summary_change() TO qa_loader, qa_owner;
