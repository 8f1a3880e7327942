-- Staff summaries without the year, term, subject or activity that rating_staff_summary (004) keeps, so that the
-- export's number of distinct staff behind each group (for small-group suppression) is counted from a few
-- hundred thousand rows: at a million records the export spent 8 s counting distinct staff, over the staff
-- summary (1.4 million rows, seven times) and over every rating unnested by cohort and by year group (which no
-- summary held with the staff member). Measured alone, the same counts from these tables took 0.9 s in all.
--
--   rating_staff_overall_summary     school x subject x activity x standard x staff member, over every year
--   rating_staff_term_summary        school x year x term x staff member, over every standard
--   rating_cohort_staff_summary      school x standard x cohort x staff member
--   rating_year_group_staff_summary  school x standard x year group x staff member
--
-- Rating counts like the other summaries, so the query planner (`CountSource`) may read them for any question
-- whose fields they hold, and loads add and subtract their changes (pg_temp.summary_change, SQL/006 and 008).
-- Each keeps the school, so row-level security hides other schools' rows as in every summary.
CREATE TABLE qa.rating_staff_overall_summary (
    school_id  integer NOT NULL,
    subject_id integer,
    activity   text NOT NULL,
    standard   smallint NOT NULL,
    staff_id   integer,
    n_red      integer NOT NULL,
    n_amber    integer NOT NULL,
    n_green    integer NOT NULL,
    n_gold     integer NOT NULL
);
CREATE UNIQUE INDEX rating_staff_overall_summary_key ON qa.rating_staff_overall_summary
    (school_id, subject_id, activity, standard, staff_id) NULLS NOT DISTINCT;

CREATE TABLE qa.rating_staff_term_summary (
    school_id     integer NOT NULL,
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    staff_id      integer,
    n_red         integer NOT NULL,
    n_amber       integer NOT NULL,
    n_green       integer NOT NULL,
    n_gold        integer NOT NULL
);
CREATE UNIQUE INDEX rating_staff_term_summary_key ON qa.rating_staff_term_summary
    (school_id, academic_year, term, staff_id) NULLS NOT DISTINCT;

CREATE TABLE qa.rating_cohort_staff_summary (
    school_id integer NOT NULL,
    standard  smallint NOT NULL,
    cohort    text NOT NULL,
    staff_id  integer,
    n_red     integer NOT NULL,
    n_amber   integer NOT NULL,
    n_green   integer NOT NULL,
    n_gold    integer NOT NULL
);
CREATE UNIQUE INDEX rating_cohort_staff_summary_key ON qa.rating_cohort_staff_summary
    (school_id, standard, cohort, staff_id) NULLS NOT DISTINCT;

CREATE TABLE qa.rating_year_group_staff_summary (
    school_id  integer NOT NULL,
    standard   smallint NOT NULL,
    year_group smallint,
    staff_id   integer,
    n_red      integer NOT NULL,
    n_amber    integer NOT NULL,
    n_green    integer NOT NULL,
    n_gold     integer NOT NULL
);
CREATE UNIQUE INDEX rating_year_group_staff_summary_key ON qa.rating_year_group_staff_summary
    (school_id, standard, year_group, staff_id) NULLS NOT DISTINCT;

-- Applies load `batch`'s changes (pg_temp.summary_change, after qa.apply_summary_change) to the four summaries.
-- An empty one is filled whole instead, without its unique index (built again after): the two without cohort or
-- year group from rating_staff_summary, which is complete by then; the other two from the load's changes when
-- every record in use was written by this load (a first load), else from every rating. With batch NULL
-- (a rebuild, after they were emptied) they are filled from what is stored.
CREATE FUNCTION qa.apply_staff_summary_change(batch bigint) RETURNS void
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
            INSERT INTO qa.%1$I AS t (%2$s, n_red, n_amber, n_green, n_gold)
            SELECT %2$s, sum(n_red), sum(n_amber), sum(n_green), sum(n_gold)
              FROM %3$s
             GROUP BY %2$s
            %4$s
            $sql$, grain, keys, source, conflict);
        IF NOT populated THEN
            EXECUTE index_definition;
            EXECUTE format('ANALYZE qa.%I', grain);
        END IF;
    END LOOP;
    -- Groups whose every rating was taken away would otherwise show as groups of n = 0.
    -- (A rebuild has no pg_temp.summary_change to look at: asked only for a load.)
    IF batch IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_temp.summary_change WHERE n_red < 0 OR n_amber < 0 OR n_green < 0 OR n_gold < 0) THEN
            FOREACH grain IN ARRAY ARRAY['rating_staff_overall_summary', 'rating_staff_term_summary',
                                         'rating_cohort_staff_summary', 'rating_year_group_staff_summary'] LOOP
                EXECUTE format('DELETE FROM qa.%I WHERE n_red = 0 AND n_amber = 0 AND n_green = 0 AND n_gold = 0', grain);
            END LOOP;
        END IF;
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
    TRUNCATE qa.rating_staff_overall_summary, qa.rating_staff_term_summary, qa.rating_cohort_staff_summary,
             qa.rating_year_group_staff_summary;
    PERFORM qa.apply_staff_summary_change(NULL);
END
$$;

-- Who may read them: as the staff summary (004, 005).
SELECT qa.protect_by_school('qa.rating_staff_overall_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.rating_staff_term_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.rating_cohort_staff_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.rating_year_group_staff_summary', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.rating_staff_overall_summary, qa.rating_staff_term_summary, qa.rating_cohort_staff_summary,
    qa.rating_year_group_staff_summary TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.rating_staff_overall_summary, qa.rating_staff_term_summary, qa.rating_cohort_staff_summary,
    qa.rating_year_group_staff_summary TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.apply_staff_summary_change(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.apply_staff_summary_change(bigint) TO qa_loader, qa_owner;

-- Fill them from the records already loaded.
SELECT qa.apply_staff_summary_change(NULL);
