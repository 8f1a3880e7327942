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

-- The count columns, in order: column k of the counts (qa.triangulation_column) is the (k + 1)th. Read from the
-- table itself (its columns are never dropped or reordered), so the statements below list them from one place.
CREATE FUNCTION qa.triangulation_count_columns() RETURNS name[]
    LANGUAGE sql STABLE
    RETURN (SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
             WHERE a.attrelid = 'qa.triangulation_summary'::regclass AND a.attnum > 6 AND NOT a.attisdropped);

-- Whether every record in use was written by load `batch` (a first load): then that load's own rows are everything
-- an empty summary needs. False for no batch (a rebuild).
CREATE FUNCTION qa.every_record_written_by(batch bigint) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN batch IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM qa.evidence e WHERE e.withdrawn_at IS NULL AND e.last_batch IS DISTINCT FROM batch);

-- Adds counts to the summary: `counts` is a relation (school_id, subject_id, deep_dive_id, academic_year, term,
-- standard, k, n), k a count column (qa.triangulation_count_columns). Without the unique index (a rebuild) the
-- rows are inserted as they are. Only ever called by the two functions below, with their
-- own relations: the text is run as SQL, so no login may execute it.
CREATE FUNCTION qa.add_triangulation_counts(counts text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- Room to group the 3.5 million ratings of a first load of a million records in memory.
    SET work_mem = '512MB' AS $$
DECLARE
    sums text;
    additions text;
    conflict text := '';
BEGIN
    SELECT string_agg(format('coalesce(sum(c.n) FILTER (WHERE c.k = %s), 0)', k - 1), ', ' ORDER BY k),
           string_agg(format('%1$I = t.%1$I + excluded.%1$I', name), ', ' ORDER BY k)
      INTO sums, additions
      FROM unnest(qa.triangulation_count_columns()) WITH ORDINALITY AS c(name, k);
    IF to_regclass('qa.triangulation_summary_key') IS NOT NULL THEN
        conflict := 'ON CONFLICT (academic_year, term, school_id, subject_id, deep_dive_id, standard) DO UPDATE SET '
                    || additions;
    END IF;
    EXECUTE format($sql$
        INSERT INTO qa.triangulation_summary AS t
        SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, %s
          FROM %s c
         GROUP BY c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard
        %s
        $sql$, sums, counts, conflict);
END
$$;

-- Fills the empty summary from `counts` (as for qa.add_triangulation_counts) without its index, which is then
-- built again: one pass over sorted rows instead of a key inserted at a time.
CREATE FUNCTION qa.fill_triangulation_summary(counts text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    index_definition text := pg_get_indexdef('qa.triangulation_summary_key'::regclass);
BEGIN
    TRUNCATE qa.triangulation_summary;
    DROP INDEX qa.triangulation_summary_key;
    PERFORM qa.add_triangulation_counts(counts);
    EXECUTE index_definition;
    ANALYZE qa.triangulation_summary;
END
$$;

-- Builds the whole summary from the records not withdrawn. Counted per column first (k, computed once per
-- rating), then laid out as columns: with the 32 counts taken straight from the ratings, each rating was tested
-- 32 times (13 s instead of 7 s at a million records).
CREATE FUNCTION qa.rebuild_triangulation_summary() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.fill_triangulation_summary($rel$(
        SELECT e.school_id, e.subject_id, e.deep_dive_id, e.academic_year, e.term, r.standard,
               qa.triangulation_column(e.activity, r.rating) AS k, count(*)::integer AS n
          FROM qa.evidence e
          JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
         WHERE e.withdrawn_at IS NULL
         GROUP BY 1, 2, 3, 4, 5, 6, 7)$rel$);
END
$$;

-- What load `batch` calls once its records are written: the ratings taken away (pg_temp.triangulation_change)
-- and those of its new and changed records (pg_temp.incoming) added to the counts. An empty summary is built in
-- one pass instead (cheaper than millions of groups one by one): from the load's own records when every record
-- in use was written by this load (a first load: its ratings are still in `incoming`, and the tables it has just
-- written, read for the first time, cost 9.7 s instead of 4 s at a million records), else from every record.
CREATE FUNCTION qa.apply_triangulation_change(batch bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    incoming_ratings CONSTANT text := $rel$(
        SELECT i.school_id, i.subject_id, i.deep_dive_id, i.academic_year, i.term, u.standard::smallint AS standard,
               qa.triangulation_column(i.activity, u.rating::qa.ragg) AS k, 1 AS n
          FROM pg_temp.incoming i CROSS JOIN LATERAL unnest(i.ratings) WITH ORDINALITY AS u(rating, standard)
         WHERE i.change IN ('new', 'changed') AND u.rating IS NOT NULL)$rel$;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM qa.triangulation_summary) THEN
        IF qa.every_record_written_by(batch) THEN
            PERFORM qa.fill_triangulation_summary(
                '(SELECT school_id, subject_id, deep_dive_id, academic_year, term, standard, k, count(*)::integer AS n'
                || ' FROM ' || incoming_ratings || ' r GROUP BY 1, 2, 3, 4, 5, 6, 7)');
        ELSE
            PERFORM qa.rebuild_triangulation_summary();
        END IF;
        RETURN;
    END IF;
    EXECUTE 'INSERT INTO pg_temp.triangulation_change SELECT * FROM ' || incoming_ratings || ' r';
    PERFORM qa.add_triangulation_counts('pg_temp.triangulation_change');
    -- Groups whose every rating was taken away would otherwise stay as rows of zeros.
    IF EXISTS (SELECT 1 FROM pg_temp.triangulation_change WHERE n < 0) THEN
        EXECUTE format('DELETE FROM qa.triangulation_summary WHERE %s = 0',
                       array_to_string(qa.triangulation_count_columns()::text[], ' + '));
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
REVOKE EXECUTE ON FUNCTION qa.take_away_triangulation(text, bigint), qa.add_triangulation_counts(text),
    qa.fill_triangulation_summary(text), qa.rebuild_triangulation_summary(), qa.apply_triangulation_change(bigint)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.take_away_triangulation(text, bigint), qa.apply_triangulation_change(bigint)
    TO qa_loader, qa_owner;
GRANT EXECUTE ON FUNCTION qa.rebuild_triangulation_summary() TO qa_owner;

-- Fill it from the records already loaded.
SELECT qa.rebuild_triangulation_summary();
