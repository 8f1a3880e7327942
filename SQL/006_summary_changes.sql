-- Keeps the rating summaries of 004 up to date by applying each load's changes instead of rebuilding
-- them: a nightly load that changes 1% of a trust's records then touches about 1% of the summaries.
--
-- A load fills a temporary table `summary_change` with counts of the ratings it adds (positive) or takes
-- away (negative), already grouped by record attributes, and `qa.apply_summary_change()` adds them to
-- every summary. `qa.refresh_summaries()`
-- still rebuilds everything; `calendar load` needs it, because term dates move ratings between terms.

-- The coarsest summary: school x year x term x standard. Most questions leaders ask (a standard by school,
-- by term) need nothing finer, and at a million records it is ~40 times smaller than rating_summary.
CREATE TABLE qa.rating_school_summary (
    school_id     integer NOT NULL,
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    standard      smallint NOT NULL,
    n_red         integer NOT NULL,
    n_amber       integer NOT NULL,
    n_green       integer NOT NULL,
    n_gold        integer NOT NULL
);
CREATE UNIQUE INDEX rating_school_summary_key ON qa.rating_school_summary (school_id, academic_year, term, standard);
SELECT qa.protect_by_school('qa.rating_school_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.rating_school_summary TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.rating_school_summary TO qa_owner;

CREATE UNIQUE INDEX rating_summary_key ON qa.rating_summary
    (school_id, subject_id, activity, academic_year, term, standard) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX rating_staff_summary_key ON qa.rating_staff_summary
    (school_id, subject_id, activity, academic_year, term, standard, staff_id) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX rating_cohort_summary_key ON qa.rating_cohort_summary
    (school_id, subject_id, activity, academic_year, term, standard, cohort) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX rating_year_group_summary_key ON qa.rating_year_group_summary
    (school_id, subject_id, activity, academic_year, term, standard, year_group) NULLS NOT DISTINCT;

-- Counts of the ratings stored for records about to change or just withdrawn, taken away from the
-- summaries. Runs with the owner's rights: the loader itself may not read ratings.
--   which = 'changed': records of this load's `incoming` table that change and were counted before;
--   which = 'withdrawn': records withdrawn by batch `batch`.
CREATE FUNCTION qa.take_away_stored_ratings(which text, batch bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    taken bigint;
BEGIN
    IF which NOT IN ('changed', 'withdrawn') THEN
        RAISE EXCEPTION 'unknown kind of change "%"', which;
    END IF;
    INSERT INTO pg_temp.summary_change
    SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.term, r.standard,
           e.cohorts, e.year_groups,
           -count(*) FILTER (WHERE r.rating = 'red'), -count(*) FILTER (WHERE r.rating = 'amber'),
           -count(*) FILTER (WHERE r.rating = 'green'), -count(*) FILTER (WHERE r.rating = 'gold')
      FROM qa.evidence e
      JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
     WHERE CASE WHEN which = 'changed'
                THEN e.evidence_pk IN (SELECT i.evidence_pk FROM pg_temp.incoming i WHERE i.change = 'changed')
                     AND e.withdrawn_at IS NULL
                ELSE e.withdrawn_batch = batch END
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    GET DIAGNOSTICS taken = ROW_COUNT;
    RETURN taken;
END
$$;

-- Adds the counts in pg_temp.summary_change to every summary, then removes groups left empty.
CREATE FUNCTION qa.apply_summary_change() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    grain text;
    keys text;
    extra_source text;
    populated boolean;
    conflict text;
BEGIN
    -- One statement per summary: school x year x term x standard; that with subject and activity; and
    -- that plus staff, cohort ('unspecified' for none) or year group.
    FOREACH grain IN ARRAY ARRAY['rating_school_summary', 'rating_summary', 'rating_staff_summary',
                                 'rating_cohort_summary', 'rating_year_group_summary'] LOOP
        keys := CASE grain WHEN 'rating_school_summary' THEN 'school_id, academic_year, term, standard'
                           ELSE 'school_id, subject_id, activity, academic_year, term, standard' END
             || CASE grain WHEN 'rating_staff_summary' THEN ', staff_id'
                           WHEN 'rating_cohort_summary' THEN ', cohort'
                           WHEN 'rating_year_group_summary' THEN ', year_group' ELSE '' END;
        extra_source := CASE grain
            WHEN 'rating_cohort_summary' THEN
                ', unnest(CASE WHEN cardinality(c.cohorts) = 0 THEN ARRAY[''unspecified''] ELSE c.cohorts END) AS x(cohort)'
            WHEN 'rating_year_group_summary' THEN
                ', unnest(CASE WHEN cardinality(c.year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE c.year_groups END) AS x(year_group)'
            ELSE '' END;
        -- An empty summary (the first load) takes plain inserts: checking every row for a conflict that
        -- cannot happen is wasted work.
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM qa.%I)', grain) INTO populated;
        conflict := CASE WHEN populated THEN format($on$
            ON CONFLICT (%s) DO UPDATE
               SET n_red = t.n_red + excluded.n_red, n_amber = t.n_amber + excluded.n_amber,
                   n_green = t.n_green + excluded.n_green, n_gold = t.n_gold + excluded.n_gold
            $on$, keys) ELSE '' END;
        EXECUTE format($sql$
            INSERT INTO qa.%1$I AS t (%2$s, n_red, n_amber, n_green, n_gold)
            SELECT %2$s, sum(n_red), sum(n_amber), sum(n_green), sum(n_gold)
              FROM pg_temp.summary_change c %3$s
             GROUP BY %2$s
            %4$s
            $sql$, grain, keys, extra_source, conflict);
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
END
$$;

REVOKE EXECUTE ON FUNCTION qa.take_away_stored_ratings(text, bigint), qa.apply_summary_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.take_away_stored_ratings(text, bigint), qa.apply_summary_change() TO qa_loader, qa_owner;
