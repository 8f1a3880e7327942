-- `query triangulation` by dates (`--from`, `--to`) from counts a load keeps, as 016 does for the rating counts.
--
-- Over the base tables three months at 3 million records grouped a million ratings joined to their records: 2.3 s
-- in PostgreSQL. This table is the triangulation summary (010) with the calendar month of the activity: the whole
-- months inside a range are read from it and only the days at the range's ends from the base tables
-- (Sources/QAQuery/TriangulationYear.swift); the three months then took 0.76 s. At 3 million records it is about
-- 2 million rows (370 MB), twice the summary.
--
-- Loads keep it beside the summary: pg_temp.triangulation_change gains the month of each rating taken away, and
-- qa.apply_triangulation_counts (010's upkeep, called by 014's qa.apply_triangulation_change) adds the ratings taken
-- away and those of the load's new and changed records. An empty table is filled in one pass, month by month (a
-- first load from its own records; otherwise from every record), an empty summary is added up from it, and
-- qa.refresh_summaries() fills it again.
-- With room on each page for updated rows, as the month summary of 016.
CREATE TABLE qa.triangulation_month (
    LIKE qa.triangulation_summary,
    month         date NOT NULL
) WITH (fillfactor = 85);
-- The month leads: a question reads a range of months.
CREATE UNIQUE INDEX triangulation_month_key ON qa.triangulation_month
    (month, school_id, subject_id, deep_dive_id, academic_year, term, standard) NULLS NOT DISTINCT;
SELECT qa.protect_by_school('qa.triangulation_month', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.triangulation_month TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.triangulation_month TO qa_owner;

-- As in 010, with the month of each record; the columns are named, as the change table gained one.
CREATE OR REPLACE FUNCTION qa.take_away_triangulation(which text, batch bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    taken bigint;
BEGIN
    IF which NOT IN ('changed', 'withdrawn') THEN
        RAISE EXCEPTION 'unknown kind of change "%"', which;
    END IF;
    INSERT INTO pg_temp.triangulation_change (school_id, subject_id, deep_dive_id, academic_year, term, standard, k, n,
                                              month)
    SELECT e.school_id, e.subject_id, e.deep_dive_id, e.academic_year, e.term, r.standard,
           qa.triangulation_column(e.activity, r.rating), -1, date_trunc('month', e.activity_date)::date
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

-- Adds counts to the month table: `counts` is a relation (school_id, subject_id, deep_dive_id, academic_year, term,
-- standard, month, k, n), as for qa.add_triangulation_counts. Without the unique index (a fill) the rows are
-- inserted as they are, month by month: with one month's rows side by side a range of months is read from fewer
-- pages (016 measured 0.48 -> 0.18 s for three months of the rating counts). Only ever called by the functions
-- below, with their own relations: the text is run as SQL, so no login may execute it.
CREATE FUNCTION qa.add_triangulation_month_counts(counts text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '512MB' AS $$
DECLARE
    names text;
    sums text;
    additions text;
    conflict text := '';
    filling_order text := 'ORDER BY c.month';
BEGIN
    SELECT string_agg(quote_ident(name), ', ' ORDER BY k),
           string_agg(format('coalesce(sum(c.n) FILTER (WHERE c.k = %s), 0)', k - 1), ', ' ORDER BY k),
           string_agg(format('%1$I = t.%1$I + excluded.%1$I', name), ', ' ORDER BY k)
      INTO names, sums, additions
      FROM unnest(qa.triangulation_count_columns()) WITH ORDINALITY AS c(name, k);
    IF to_regclass('qa.triangulation_month_key') IS NOT NULL THEN
        conflict := 'ON CONFLICT (month, school_id, subject_id, deep_dive_id, academic_year, term, standard) DO UPDATE SET '
                    || additions;
        filling_order := '';
    END IF;
    EXECUTE format($sql$
        INSERT INTO qa.triangulation_month AS t
               (school_id, subject_id, deep_dive_id, academic_year, term, standard, month, %s)
        SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, c.month, %s
          FROM %s c
         GROUP BY c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, c.month
        %s
        %s
        $sql$, names, sums, counts, filling_order, conflict);
END
$$;

-- Fills the empty table from `counts` without its index, which is then built again.
CREATE FUNCTION qa.fill_triangulation_month(counts text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    index_definition text := pg_get_indexdef('qa.triangulation_month_key'::regclass);
BEGIN
    TRUNCATE qa.triangulation_month;
    DROP INDEX qa.triangulation_month_key;
    PERFORM qa.add_triangulation_month_counts(counts);
    EXECUTE index_definition;
    ANALYZE qa.triangulation_month;
END
$$;

-- Builds the whole table from the records not withdrawn (counted per column first, as 010's rebuild).
CREATE FUNCTION qa.rebuild_triangulation_month() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.fill_triangulation_month($rel$(
        SELECT e.school_id, e.subject_id, e.deep_dive_id, e.academic_year, e.term, r.standard,
               date_trunc('month', e.activity_date)::date AS month,
               qa.triangulation_column(e.activity, r.rating) AS k, count(*)::integer AS n
          FROM qa.evidence e
          JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
         WHERE e.withdrawn_at IS NULL
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)$rel$);
END
$$;

-- Fills the empty triangulation summary (010) by adding up the month table's months, when that table is complete:
-- grouping a first load's ratings a second time cost as much as grouping them for the month table.
CREATE FUNCTION qa.fill_triangulation_summary_from_months() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '512MB' AS $$
DECLARE
    index_definition text := pg_get_indexdef('qa.triangulation_summary_key'::regclass);
    sums text;
BEGIN
    SELECT string_agg(format('sum(m.%I)', name), ', ' ORDER BY k) INTO sums
      FROM unnest(qa.triangulation_count_columns()) WITH ORDINALITY AS c(name, k);
    TRUNCATE qa.triangulation_summary;
    DROP INDEX qa.triangulation_summary_key;
    EXECUTE format($sql$
        INSERT INTO qa.triangulation_summary
        SELECT m.school_id, m.subject_id, m.deep_dive_id, m.academic_year, m.term, m.standard, %s
          FROM qa.triangulation_month m
         GROUP BY m.school_id, m.subject_id, m.deep_dive_id, m.academic_year, m.term, m.standard
        $sql$, sums);
    EXECUTE index_definition;
    ANALYZE qa.triangulation_summary;
END
$$;

-- 010's upkeep of the summary (its name since 014), after the same change to the month table: the ratings taken
-- away (n < 0 in pg_temp.triangulation_change) and the load's own, read from `incoming`. An empty month table is
-- filled from the load's records (a first load) or from every record; an empty summary is then added up from it
-- (a first load at a million records: 23.6 s for both tables when each grouped every rating). Otherwise the
-- summary takes the change as in 010, with the month of each incoming rating in the change table.
CREATE OR REPLACE FUNCTION qa.apply_triangulation_counts(batch bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    incoming_ratings CONSTANT text := $rel$(
        SELECT i.school_id, i.subject_id, i.deep_dive_id, i.academic_year, i.term, u.standard::smallint AS standard,
               qa.triangulation_column(i.activity, u.rating::qa.ragg) AS k, 1 AS n,
               date_trunc('month', i.activity_date)::date AS month
          FROM pg_temp.incoming i CROSS JOIN LATERAL unnest(i.ratings) WITH ORDINALITY AS u(rating, standard)
         WHERE i.change IN ('new', 'changed') AND u.rating IS NOT NULL)$rel$;
BEGIN
    -- The month table first: an empty summary is then added up from it.
    IF NOT EXISTS (SELECT 1 FROM qa.triangulation_month) THEN
        IF qa.every_record_written_by(batch) THEN
            PERFORM qa.fill_triangulation_month(
                '(SELECT school_id, subject_id, deep_dive_id, academic_year, term, standard, month, k,'
                || ' count(*)::integer AS n FROM ' || incoming_ratings || ' r GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)');
        ELSE
            PERFORM qa.rebuild_triangulation_month();
        END IF;
    ELSE
        PERFORM qa.add_triangulation_month_counts(
            '(SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, c.month, c.k, c.n'
            || ' FROM pg_temp.triangulation_change c WHERE c.n < 0'
            || ' UNION ALL SELECT r.school_id, r.subject_id, r.deep_dive_id, r.academic_year, r.term, r.standard, r.month,'
            || ' r.k, r.n FROM ' || incoming_ratings || ' r)');
        IF EXISTS (SELECT 1 FROM pg_temp.triangulation_change WHERE n < 0) THEN
            EXECUTE format('DELETE FROM qa.triangulation_month WHERE %s = 0',
                           array_to_string(qa.triangulation_count_columns()::text[], ' + '));
        END IF;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM qa.triangulation_summary) THEN
        PERFORM qa.fill_triangulation_summary_from_months();
        RETURN;
    END IF;
    EXECUTE 'INSERT INTO pg_temp.triangulation_change'
         || ' (school_id, subject_id, deep_dive_id, academic_year, term, standard, k, n, month)'
         || ' SELECT * FROM ' || incoming_ratings || ' r';
    PERFORM qa.add_triangulation_counts('pg_temp.triangulation_change');
    IF EXISTS (SELECT 1 FROM pg_temp.triangulation_change WHERE n < 0) THEN
        EXECUTE format('DELETE FROM qa.triangulation_summary WHERE %s = 0',
                       array_to_string(qa.triangulation_count_columns()::text[], ' + '));
    END IF;
END
$$;

-- `calendar load` moves records between terms: the full rebuild fills this table again too (014's body, with one
-- more step).
CREATE OR REPLACE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_count_summaries();
    PERFORM qa.fill_support_evidence('stored');
    PERFORM qa.fill_support_evidence_term();
    PERFORM qa.fill_triangulation_year();
    PERFORM qa.rebuild_triangulation_month();
END
$$;

REVOKE EXECUTE ON FUNCTION qa.add_triangulation_month_counts(text), qa.fill_triangulation_month(text),
    qa.rebuild_triangulation_month(), qa.fill_triangulation_summary_from_months() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.rebuild_triangulation_month() TO qa_owner;

-- Fill it from the records already loaded.
SELECT qa.rebuild_triangulation_month();
