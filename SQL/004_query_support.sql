-- Support for `qa-analytics query`: rating summaries that a load refreshes, and small helpers.
--
-- The summaries count non-withdrawn ratings per combination of the dimensions most queries ask for,
-- so a distribution over millions of ratings reads thousands of rows. Each table holds one grain;
-- the query planner (QAQuery.CountSource) picks the smallest one that has every field a request needs
-- and falls back to qa.rating joined to qa.evidence otherwise (date ranges, staff with cohorts, ...).

-- "2022/23" for the start year 2022.
CREATE FUNCTION qa.academic_year_label(start_year smallint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN start_year::text || '/' || lpad(((start_year + 1) % 100)::text, 2, '0');

-- autumn 1, spring 2, summer 3: terms sort in the order of the school year.
CREATE FUNCTION qa.term_order(term text) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_position(ARRAY['autumn', 'spring', 'summer'], term)::smallint;

-- The grain without staff, cohort or year group: school x subject x activity x year x term x standard.
CREATE TABLE qa.rating_summary (
    school_id     integer NOT NULL,
    subject_id    integer,
    activity      text NOT NULL,
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    standard      smallint NOT NULL,
    n_red         integer NOT NULL,
    n_amber       integer NOT NULL,
    n_green       integer NOT NULL,
    n_gold        integer NOT NULL
);

-- The same with the staff member rated.
CREATE TABLE qa.rating_staff_summary (
    LIKE qa.rating_summary,
    staff_id      integer
);

-- A rating counted once under each cohort of its record; 'unspecified' for a record with none.
CREATE TABLE qa.rating_cohort_summary (
    LIKE qa.rating_summary,
    cohort        text NOT NULL
);

-- A rating counted once under each year group of its record; NULL for a record with none.
CREATE TABLE qa.rating_year_group_summary (
    LIKE qa.rating_summary,
    year_group    smallint
);

-- Rebuilds every summary from qa.evidence and qa.rating. The loader calls it at the end of every load,
-- inside the load's transaction, so readers see old summaries or new ones, never a mix.
-- `calendar load` must call it too: term dates change which term a rating falls in.
CREATE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    -- Term dates may have changed since records were loaded: the stored terms follow first.
    WITH days AS MATERIALIZED (
        SELECT day, qa.term_of(day) AS term FROM (SELECT DISTINCT activity_date AS day FROM qa.evidence) d)
    UPDATE qa.evidence e SET term = days.term
      FROM days WHERE e.activity_date = days.day AND e.term <> days.term;

    TRUNCATE qa.rating_summary, qa.rating_staff_summary, qa.rating_cohort_summary, qa.rating_year_group_summary;
    -- The coarsest summary arrives with migration 006; before that it is not there to fill.
    IF to_regclass('qa.rating_school_summary') IS NOT NULL THEN
        TRUNCATE qa.rating_school_summary;
    END IF;

    -- One row per (record, standard) with the term looked up once per distinct date, not once per rating.
    CREATE TEMPORARY TABLE summary_source ON COMMIT DROP AS
    SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.term, r.standard, r.rating,
           e.cohorts, e.year_groups
      FROM qa.rating r
      JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
     WHERE e.withdrawn_at IS NULL;

    INSERT INTO qa.rating_staff_summary
    SELECT school_id, subject_id, activity, academic_year, term, standard,
           count(*) FILTER (WHERE rating = 'red'), count(*) FILTER (WHERE rating = 'amber'),
           count(*) FILTER (WHERE rating = 'green'), count(*) FILTER (WHERE rating = 'gold'), staff_id
      FROM summary_source
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, staff_id;

    INSERT INTO qa.rating_summary
    SELECT school_id, subject_id, activity, academic_year, term, standard,
           sum(n_red), sum(n_amber), sum(n_green), sum(n_gold)
      FROM qa.rating_staff_summary
     GROUP BY school_id, subject_id, activity, academic_year, term, standard;

    INSERT INTO qa.rating_cohort_summary
    SELECT school_id, subject_id, activity, academic_year, term, standard,
           count(*) FILTER (WHERE rating = 'red'), count(*) FILTER (WHERE rating = 'amber'),
           count(*) FILTER (WHERE rating = 'green'), count(*) FILTER (WHERE rating = 'gold'), c.cohort
      FROM summary_source,
           unnest(CASE WHEN cardinality(cohorts) = 0 THEN ARRAY['unspecified'] ELSE cohorts END) AS c(cohort)
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, c.cohort;

    INSERT INTO qa.rating_year_group_summary
    SELECT school_id, subject_id, activity, academic_year, term, standard,
           count(*) FILTER (WHERE rating = 'red'), count(*) FILTER (WHERE rating = 'amber'),
           count(*) FILTER (WHERE rating = 'green'), count(*) FILTER (WHERE rating = 'gold'), y.year_group
      FROM summary_source,
           unnest(CASE WHEN cardinality(year_groups) = 0 THEN ARRAY[NULL::smallint] ELSE year_groups END)
               AS y(year_group)
     GROUP BY school_id, subject_id, activity, academic_year, term, standard, y.year_group;

    IF to_regclass('qa.rating_school_summary') IS NOT NULL THEN
        INSERT INTO qa.rating_school_summary
        SELECT school_id, academic_year, term, standard, sum(n_red), sum(n_amber), sum(n_green), sum(n_gold)
          FROM qa.rating_summary
         GROUP BY school_id, academic_year, term, standard;
    END IF;

    DROP TABLE summary_source;
    ANALYZE qa.rating_summary, qa.rating_staff_summary, qa.rating_cohort_summary, qa.rating_year_group_summary;
END;
$$;

-- Year-group filters and the "matches nothing" check look records up by year group.
CREATE INDEX evidence_year_groups ON qa.evidence USING gin (year_groups);
