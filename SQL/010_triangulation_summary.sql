-- A summary that `query triangulation` reads instead of every rating (SQL/004 and 008 count ratings without
-- saying which activity gave which): at 3 million records one term's triangulation took 3.8 s in PostgreSQL over
-- the base tables, most of it joining the term's 1.3 million ratings to their records and grouping them per
-- activity.
--
-- One row per school, subject, deep dive (NULL outside deep dives), academic year, term and standard, with the
-- number of Red, Amber, Green and Gold ratings each activity type gave (a column per activity and rating; the
-- query takes each activity's lowest and highest rating from them). That is the grain the query groups by,
-- except that a deep dive's records in different terms are different rows here: the query adds them up, so a
-- question about one term still sees only that term's records of a deep dive, as over the base tables.
--
-- Counts, not the lowest and highest ratings themselves, so that a load can take a changed or withdrawn
-- record's ratings away by subtraction, as for the rating summaries (SQL/006): rebuilding every group a load
-- touched cost as much as rebuilding everything when a reload changed 1% of the records spread over every
-- year (9.4 s at a million records). A load lists the ratings it takes away in pg_temp.triangulation_change
-- (qa.take_away_triangulation, before the records change) and qa.apply_triangulation_change() adds the ratings
-- of its new and changed records from pg_temp.incoming. An empty summary is built whole from the base tables,
-- without its index, which is then built again (the first load; `calendar load` through refresh_summaries).
-- The activity columns follow qa.evidence's list of activities (SQL/002) and Swift's `Activity`; a test checks
-- that they agree.
CREATE TABLE qa.triangulation_summary (
    school_id                         integer NOT NULL,
    subject_id                        integer,
    deep_dive_id                      text,
    academic_year                     smallint NOT NULL,
    term                              text NOT NULL,
    standard                          smallint NOT NULL,
    lesson_visit_red                 integer NOT NULL,
    lesson_visit_amber               integer NOT NULL,
    lesson_visit_green               integer NOT NULL,
    lesson_visit_gold                integer NOT NULL,
    work_scrutiny_red                integer NOT NULL,
    work_scrutiny_amber              integer NOT NULL,
    work_scrutiny_green              integer NOT NULL,
    work_scrutiny_gold               integer NOT NULL,
    pupil_discussion_red             integer NOT NULL,
    pupil_discussion_amber           integer NOT NULL,
    pupil_discussion_green           integer NOT NULL,
    pupil_discussion_gold            integer NOT NULL,
    subject_leader_discussion_red    integer NOT NULL,
    subject_leader_discussion_amber  integer NOT NULL,
    subject_leader_discussion_green  integer NOT NULL,
    subject_leader_discussion_gold   integer NOT NULL,
    deep_dive_red                    integer NOT NULL,
    deep_dive_amber                  integer NOT NULL,
    deep_dive_green                  integer NOT NULL,
    deep_dive_gold                   integer NOT NULL,
    curriculum_plan_review_red       integer NOT NULL,
    curriculum_plan_review_amber     integer NOT NULL,
    curriculum_plan_review_green     integer NOT NULL,
    curriculum_plan_review_gold      integer NOT NULL,
    peer_review_red                  integer NOT NULL,
    peer_review_amber                integer NOT NULL,
    peer_review_green                integer NOT NULL,
    peer_review_gold                 integer NOT NULL,
    informal_feedback_red            integer NOT NULL,
    informal_feedback_amber          integer NOT NULL,
    informal_feedback_green          integer NOT NULL,
    informal_feedback_gold           integer NOT NULL
);
-- Year and term first: a question about one term reads its rows by the index (a fifteenth of them at 3 million
-- records).
CREATE UNIQUE INDEX triangulation_summary_key ON qa.triangulation_summary
    (academic_year, term, school_id, subject_id, deep_dive_id, standard) NULLS NOT DISTINCT;

-- Column k of the counts for an activity and a rating: 4 x (the activity's place in the list) + score - 1.
CREATE FUNCTION qa.triangulation_column(activity text, rating qa.ragg) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 4 * (array_position(ARRAY['lesson_visit', 'work_scrutiny', 'pupil_discussion', 'subject_leader_discussion',
                                     'deep_dive', 'curriculum_plan_review', 'peer_review', 'informal_feedback'],
                               activity) - 1)
           + qa.ragg_score(rating) - 1;

-- Ratings a load takes away, one row per record and standard (n = -1): those of the records of this load's
-- `incoming` table that change (which = 'changed', before the update), or of the records withdrawn by batch
-- `batch` (which = 'withdrawn'). Runs with the owner's rights: the loader may not read ratings.
CREATE FUNCTION qa.take_away_triangulation(which text, batch bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    taken bigint;
BEGIN
    IF which NOT IN ('changed', 'withdrawn') THEN
        RAISE EXCEPTION 'unknown kind of change "%"', which;
    END IF;
    INSERT INTO pg_temp.triangulation_change
    SELECT e.school_id, e.subject_id, e.deep_dive_id, e.academic_year, e.term, r.standard,
           qa.triangulation_column(e.activity, r.rating), -1
      FROM qa.evidence e
      JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
     WHERE CASE WHEN which = 'changed'
                THEN e.evidence_pk IN (SELECT i.evidence_pk FROM pg_temp.incoming i WHERE i.change = 'changed')
                     AND e.withdrawn_at IS NULL
                ELSE e.withdrawn_batch = batch END;
    GET DIAGNOSTICS taken = ROW_COUNT;
    RETURN taken;
END
$$;

-- Builds the whole summary from the records not withdrawn.
CREATE FUNCTION qa.rebuild_triangulation_summary() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- Room to group the 3.5 million ratings of a first load of a million records in memory.
    SET work_mem = '512MB' AS $$
DECLARE
    index_definition text := pg_get_indexdef('qa.triangulation_summary_key'::regclass);
BEGIN
    TRUNCATE qa.triangulation_summary;
    DROP INDEX qa.triangulation_summary_key;
    -- Counted per column first (k, computed once per rating), then laid out as columns: with the 32 counts
    -- taken straight from the ratings, each rating was tested 32 times (13 s instead of 7 s at a million records).
    INSERT INTO qa.triangulation_summary
    SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard,
           coalesce(sum(c.n) FILTER (WHERE c.k = 0), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 1), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 2), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 3), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 4), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 5), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 6), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 7), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 8), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 9), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 10), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 11), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 12), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 13), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 14), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 15), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 16), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 17), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 18), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 19), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 20), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 21), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 22), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 23), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 24), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 25), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 26), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 27), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 28), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 29), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 30), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 31), 0)
      FROM (SELECT e.school_id, e.subject_id, e.deep_dive_id, e.academic_year, e.term, r.standard,
                   qa.triangulation_column(e.activity, r.rating) AS k, count(*)::integer AS n
              FROM qa.evidence e
              JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
             WHERE e.withdrawn_at IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7) c
     GROUP BY c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard;
    EXECUTE index_definition;
    ANALYZE qa.triangulation_summary;
END
$$;

-- What a load calls once its records are written: the ratings taken away (pg_temp.triangulation_change) and
-- those of its new and changed records (pg_temp.incoming) added to the counts; or, when the summary is empty,
-- everything built in one pass (cheaper than millions of groups one by one).
CREATE FUNCTION qa.apply_triangulation_change() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '512MB' AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM qa.triangulation_summary) THEN
        PERFORM qa.rebuild_triangulation_summary();
        RETURN;
    END IF;
    INSERT INTO pg_temp.triangulation_change
    SELECT i.school_id, i.subject_id, i.deep_dive_id, i.academic_year, i.term, u.standard,
           qa.triangulation_column(i.activity, u.rating::qa.ragg), 1
      FROM pg_temp.incoming i CROSS JOIN LATERAL unnest(i.ratings) WITH ORDINALITY AS u(rating, standard)
     WHERE i.change IN ('new', 'changed') AND u.rating IS NOT NULL;
    INSERT INTO qa.triangulation_summary AS t
    SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard,
           coalesce(sum(c.n) FILTER (WHERE c.k = 0), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 1), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 2), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 3), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 4), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 5), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 6), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 7), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 8), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 9), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 10), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 11), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 12), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 13), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 14), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 15), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 16), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 17), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 18), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 19), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 20), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 21), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 22), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 23), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 24), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 25), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 26), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 27), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 28), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 29), 0),
           coalesce(sum(c.n) FILTER (WHERE c.k = 30), 0), coalesce(sum(c.n) FILTER (WHERE c.k = 31), 0)
      FROM pg_temp.triangulation_change c
     GROUP BY c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard
    ON CONFLICT (academic_year, term, school_id, subject_id, deep_dive_id, standard) DO UPDATE SET
        lesson_visit_red = t.lesson_visit_red + excluded.lesson_visit_red,
        lesson_visit_amber = t.lesson_visit_amber + excluded.lesson_visit_amber,
        lesson_visit_green = t.lesson_visit_green + excluded.lesson_visit_green,
        lesson_visit_gold = t.lesson_visit_gold + excluded.lesson_visit_gold,
        work_scrutiny_red = t.work_scrutiny_red + excluded.work_scrutiny_red,
        work_scrutiny_amber = t.work_scrutiny_amber + excluded.work_scrutiny_amber,
        work_scrutiny_green = t.work_scrutiny_green + excluded.work_scrutiny_green,
        work_scrutiny_gold = t.work_scrutiny_gold + excluded.work_scrutiny_gold,
        pupil_discussion_red = t.pupil_discussion_red + excluded.pupil_discussion_red,
        pupil_discussion_amber = t.pupil_discussion_amber + excluded.pupil_discussion_amber,
        pupil_discussion_green = t.pupil_discussion_green + excluded.pupil_discussion_green,
        pupil_discussion_gold = t.pupil_discussion_gold + excluded.pupil_discussion_gold,
        subject_leader_discussion_red = t.subject_leader_discussion_red + excluded.subject_leader_discussion_red,
        subject_leader_discussion_amber = t.subject_leader_discussion_amber + excluded.subject_leader_discussion_amber,
        subject_leader_discussion_green = t.subject_leader_discussion_green + excluded.subject_leader_discussion_green,
        subject_leader_discussion_gold = t.subject_leader_discussion_gold + excluded.subject_leader_discussion_gold,
        deep_dive_red = t.deep_dive_red + excluded.deep_dive_red,
        deep_dive_amber = t.deep_dive_amber + excluded.deep_dive_amber,
        deep_dive_green = t.deep_dive_green + excluded.deep_dive_green,
        deep_dive_gold = t.deep_dive_gold + excluded.deep_dive_gold,
        curriculum_plan_review_red = t.curriculum_plan_review_red + excluded.curriculum_plan_review_red,
        curriculum_plan_review_amber = t.curriculum_plan_review_amber + excluded.curriculum_plan_review_amber,
        curriculum_plan_review_green = t.curriculum_plan_review_green + excluded.curriculum_plan_review_green,
        curriculum_plan_review_gold = t.curriculum_plan_review_gold + excluded.curriculum_plan_review_gold,
        peer_review_red = t.peer_review_red + excluded.peer_review_red,
        peer_review_amber = t.peer_review_amber + excluded.peer_review_amber,
        peer_review_green = t.peer_review_green + excluded.peer_review_green,
        peer_review_gold = t.peer_review_gold + excluded.peer_review_gold,
        informal_feedback_red = t.informal_feedback_red + excluded.informal_feedback_red,
        informal_feedback_amber = t.informal_feedback_amber + excluded.informal_feedback_amber,
        informal_feedback_green = t.informal_feedback_green + excluded.informal_feedback_green,
        informal_feedback_gold = t.informal_feedback_gold + excluded.informal_feedback_gold;
    -- Groups whose every rating was taken away would otherwise stay as rows of zeros.
    IF EXISTS (SELECT 1 FROM pg_temp.triangulation_change WHERE n < 0) THEN
        DELETE FROM qa.triangulation_summary
         WHERE lesson_visit_red + lesson_visit_amber + lesson_visit_green + lesson_visit_gold +
               work_scrutiny_red + work_scrutiny_amber + work_scrutiny_green + work_scrutiny_gold +
               pupil_discussion_red + pupil_discussion_amber + pupil_discussion_green + pupil_discussion_gold +
               subject_leader_discussion_red + subject_leader_discussion_amber +
               subject_leader_discussion_green + subject_leader_discussion_gold + deep_dive_red +
               deep_dive_amber + deep_dive_green + deep_dive_gold + curriculum_plan_review_red +
               curriculum_plan_review_amber + curriculum_plan_review_green + curriculum_plan_review_gold +
               peer_review_red + peer_review_amber + peer_review_green + peer_review_gold +
               informal_feedback_red + informal_feedback_amber + informal_feedback_green +
               informal_feedback_gold = 0;
    END IF;
END
$$;

-- `calendar load` moves records between terms: every summary is rebuilt.
CREATE OR REPLACE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_rating_summaries();
    PERFORM qa.refresh_feedback_summary();
    PERFORM qa.rebuild_triangulation_summary();
END
$$;

-- Who may read it: as the rating summaries (it names no person).
SELECT qa.protect_by_school('qa.triangulation_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.triangulation_summary TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.triangulation_summary TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.take_away_triangulation(text, bigint), qa.rebuild_triangulation_summary(),
    qa.apply_triangulation_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.take_away_triangulation(text, bigint), qa.apply_triangulation_change()
    TO qa_loader, qa_owner;
GRANT EXECUTE ON FUNCTION qa.rebuild_triangulation_summary() TO qa_owner;

-- Fill it from the records already loaded.
SELECT qa.rebuild_triangulation_summary();
