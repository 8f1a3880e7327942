-- A summary that `query triangulation` reads instead of every rating (SQL/004 and 008 hold counts, which
-- cannot say which activity gave which rating): at 3 million records one term's triangulation took 3.8 s in
-- PostgreSQL over the base tables, most of it joining the term's 1.3 million ratings to their records and
-- grouping them per activity.
--
-- One row per school, subject, deep dive (NULL outside deep dives), academic year, term and standard, with the
-- earliest activity date and, per activity type, the lowest and highest rating it gave as a score (Red 1 ...
-- Gold 4, qa.ragg_score; NULL where it gave none). Scores, not the enum: smallints compare without a lookup of
-- the enum's order, which made one term's query at 3 million records 10% faster.
-- That is the grain the query groups by, except that a deep dive's records in different terms are different
-- rows here: the query merges them (lowest of the lows, highest of the highs, earliest day), so a question about
-- one term still sees only that term's records of a deep dive, as over the base tables.
--
-- The lowest and highest cannot be taken back by subtraction, so a load does not add and subtract as for the
-- counts: it rebuilds the rows of every group (school, subject, deep dive, year, term) its records left or
-- joined, from the base tables (pg_temp.triangulation_change lists those groups). An empty summary is built
-- whole, without its index, which is then built again (the first load, and `calendar load` through
-- refresh_summaries).
-- The activity columns follow qa.evidence's list of activities (SQL/002) and Swift's `Activity`; a test checks
-- that they agree.
CREATE TABLE qa.triangulation_summary (
    school_id                      integer NOT NULL,
    subject_id                     integer,
    deep_dive_id                   text,
    academic_year                  smallint NOT NULL,
    term                           text NOT NULL,
    standard                       smallint NOT NULL,
    first_day                      date NOT NULL,
    lesson_visit_low               smallint,
    lesson_visit_high              smallint,
    work_scrutiny_low              smallint,
    work_scrutiny_high             smallint,
    pupil_discussion_low           smallint,
    pupil_discussion_high          smallint,
    subject_leader_discussion_low  smallint,
    subject_leader_discussion_high smallint,
    deep_dive_low                  smallint,
    deep_dive_high                 smallint,
    curriculum_plan_review_low     smallint,
    curriculum_plan_review_high    smallint,
    peer_review_low                smallint,
    peer_review_high               smallint,
    informal_feedback_low          smallint,
    informal_feedback_high         smallint
);
-- Year and term first: a question about one term reads its rows by the index (a fifteenth of them at 3 million
-- records) and a load finds a group's rows by it.
CREATE UNIQUE INDEX triangulation_summary_key ON qa.triangulation_summary
    (academic_year, term, school_id, subject_id, deep_dive_id, standard) NULLS NOT DISTINCT;

-- Builds the rows of the groups listed in pg_temp.triangulation_change (only_changed) or of every group, from
-- the records not withdrawn. Runs with the owner's rights: the loader may not read ratings.
CREATE FUNCTION qa.fill_triangulation_summary(only_changed boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- Room to group the 3.5 million ratings of a first load of a million records in memory.
    SET work_mem = '512MB' AS $$
DECLARE
    index_definition text;
    groups text := '';
BEGIN
    IF only_changed THEN
        DROP TABLE IF EXISTS pg_temp.triangulation_groups;
        CREATE TEMPORARY TABLE triangulation_groups ON COMMIT DROP AS
        SELECT DISTINCT school_id, subject_id, deep_dive_id, academic_year, term FROM pg_temp.triangulation_change;
        ANALYZE pg_temp.triangulation_groups;
        DELETE FROM qa.triangulation_summary t USING pg_temp.triangulation_groups g
         WHERE t.academic_year = g.academic_year AND t.term = g.term AND t.school_id = g.school_id
           AND t.subject_id IS NOT DISTINCT FROM g.subject_id AND t.deep_dive_id IS NOT DISTINCT FROM g.deep_dive_id;
        groups := $j$
            JOIN pg_temp.triangulation_groups g
              ON g.academic_year = e.academic_year AND g.term = e.term AND g.school_id = e.school_id
             AND g.subject_id IS NOT DISTINCT FROM e.subject_id AND g.deep_dive_id IS NOT DISTINCT FROM e.deep_dive_id$j$;
    ELSE
        TRUNCATE qa.triangulation_summary;
        index_definition := pg_get_indexdef('qa.triangulation_summary_key'::regclass);
        DROP INDEX qa.triangulation_summary_key;
    END IF;
    EXECUTE format($sql$
        INSERT INTO qa.triangulation_summary
        SELECT e.school_id, e.subject_id, e.deep_dive_id, e.academic_year, e.term, r.standard, min(e.activity_date),
               min(v.score) FILTER (WHERE e.activity = 'lesson_visit'), max(v.score) FILTER (WHERE e.activity = 'lesson_visit'),
               min(v.score) FILTER (WHERE e.activity = 'work_scrutiny'), max(v.score) FILTER (WHERE e.activity = 'work_scrutiny'),
               min(v.score) FILTER (WHERE e.activity = 'pupil_discussion'), max(v.score) FILTER (WHERE e.activity = 'pupil_discussion'),
               min(v.score) FILTER (WHERE e.activity = 'subject_leader_discussion'), max(v.score) FILTER (WHERE e.activity = 'subject_leader_discussion'),
               min(v.score) FILTER (WHERE e.activity = 'deep_dive'), max(v.score) FILTER (WHERE e.activity = 'deep_dive'),
               min(v.score) FILTER (WHERE e.activity = 'curriculum_plan_review'), max(v.score) FILTER (WHERE e.activity = 'curriculum_plan_review'),
               min(v.score) FILTER (WHERE e.activity = 'peer_review'), max(v.score) FILTER (WHERE e.activity = 'peer_review'),
               min(v.score) FILTER (WHERE e.activity = 'informal_feedback'), max(v.score) FILTER (WHERE e.activity = 'informal_feedback')
          FROM qa.evidence e%s
          JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
         CROSS JOIN LATERAL (SELECT qa.ragg_score(r.rating) AS score) v
         WHERE e.withdrawn_at IS NULL
         GROUP BY e.school_id, e.subject_id, e.deep_dive_id, e.academic_year, e.term, r.standard
        $sql$, groups);
    IF only_changed THEN
        DROP TABLE pg_temp.triangulation_groups;
    ELSE
        EXECUTE index_definition;
        ANALYZE qa.triangulation_summary;
    END IF;
END
$$;

-- What a load calls once its records are written: the groups it changed, or everything when the summary is
-- empty (nothing to keep, and one pass is cheaper than millions of groups one by one).
CREATE FUNCTION qa.apply_triangulation_change() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    populated boolean;
BEGIN
    -- Asked first, in a statement of its own: a scan still open in the calling statement would stop the
    -- rebuild's TRUNCATE.
    populated := EXISTS (SELECT 1 FROM qa.triangulation_summary);
    PERFORM qa.fill_triangulation_summary(populated);
END
$$;

-- `calendar load` moves records between terms: every summary is rebuilt.
CREATE OR REPLACE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_rating_summaries();
    PERFORM qa.refresh_feedback_summary();
    PERFORM qa.fill_triangulation_summary(false);
END
$$;

-- Who may read it: as the rating summaries (it names no person).
SELECT qa.protect_by_school('qa.triangulation_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.triangulation_summary TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.triangulation_summary TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.fill_triangulation_summary(boolean), qa.apply_triangulation_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.apply_triangulation_change() TO qa_loader, qa_owner;
GRANT EXECUTE ON FUNCTION qa.fill_triangulation_summary(boolean) TO qa_owner;

-- Fill it from the records already loaded.
SELECT qa.fill_triangulation_summary(false);
