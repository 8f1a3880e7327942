-- A load's upkeep of the triangulation summary (010) and its month table (017), with what 030 and 031 did for the
-- other count tables: a changed record's ratings are taken away and added back, most of them as they were, and each
-- such group was written again with its counts + 0; then both tables were read whole for rows whose counts had all
-- come to 0 after any load that took something away. Now a group whose change adds up to nothing is left alone,
-- and each adding function says whether some row's counts came to 0, so that a table is read for them only then.
-- Both functions now return that, so they are made anew (their callers PERFORM them, or read the answer below).
-- A 1% reload at 3 million records (one real reload each way, 7 December, by hand, auto_explain): this upkeep
-- (qa.apply_triangulation_counts) 13.4 s -> 3.9 s, of the load's triangulation step 47.9 -> 38.4 s; most of what is
-- left is 025's cohort and year-group tables, whose groups a change touches are computed again (32.6 s).

DROP FUNCTION qa.add_triangulation_counts(text);
CREATE FUNCTION qa.add_triangulation_counts(counts text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    -- Room to group the 3.5 million ratings of a first load of a million records in memory.
    SET work_mem = '512MB' AS $$
DECLARE
    sums text;
    changed text;
    additions text;
    total text;
    conflict text := '';
    emptied boolean;
BEGIN
    SELECT string_agg(format('coalesce(sum(c.n) FILTER (WHERE c.k = %s), 0)', k - 1), ', ' ORDER BY k),
           string_agg(format('coalesce(sum(c.n) FILTER (WHERE c.k = %s), 0) <> 0', k - 1), ' OR ' ORDER BY k),
           string_agg(format('%1$I = t.%1$I + excluded.%1$I', name), ', ' ORDER BY k),
           string_agg(format('t.%I', name), ' + ' ORDER BY k)
      INTO sums, changed, additions, total
      FROM unnest(qa.triangulation_count_columns()) WITH ORDINALITY AS c(name, k);
    IF to_regclass('qa.triangulation_summary_key') IS NOT NULL THEN
        conflict := 'ON CONFLICT (academic_year, term, school_id, subject_id, deep_dive_id, standard) DO UPDATE SET '
                    || additions;
    END IF;
    EXECUTE format($sql$
        WITH written AS (
            INSERT INTO qa.triangulation_summary AS t
            SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, %s
              FROM %s c
             GROUP BY c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard
            HAVING %s
            %s
            RETURNING %s AS total)
        SELECT coalesce(bool_or(total = 0), false) FROM written
        $sql$, sums, counts, changed, conflict, total) INTO emptied;
    RETURN emptied;
END
$$;

DROP FUNCTION qa.add_triangulation_month_counts(text);
CREATE FUNCTION qa.add_triangulation_month_counts(counts text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '512MB' AS $$
DECLARE
    names text;
    sums text;
    changed text;
    additions text;
    total text;
    conflict text := '';
    filling_order text := 'ORDER BY c.month';
    emptied boolean;
BEGIN
    SELECT string_agg(quote_ident(name), ', ' ORDER BY k),
           string_agg(format('coalesce(sum(c.n) FILTER (WHERE c.k = %s), 0)', k - 1), ', ' ORDER BY k),
           string_agg(format('coalesce(sum(c.n) FILTER (WHERE c.k = %s), 0) <> 0', k - 1), ' OR ' ORDER BY k),
           string_agg(format('%1$I = t.%1$I + excluded.%1$I', name), ', ' ORDER BY k),
           string_agg(format('t.%I', name), ' + ' ORDER BY k)
      INTO names, sums, changed, additions, total
      FROM unnest(qa.triangulation_count_columns()) WITH ORDINALITY AS c(name, k);
    IF to_regclass('qa.triangulation_month_key') IS NOT NULL THEN
        conflict := 'ON CONFLICT (month, school_id, subject_id, deep_dive_id, academic_year, term, standard) DO UPDATE SET '
                    || additions;
        filling_order := '';
    END IF;
    EXECUTE format($sql$
        WITH written AS (
            INSERT INTO qa.triangulation_month AS t
                   (school_id, subject_id, deep_dive_id, academic_year, term, standard, month, %s)
            SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, c.month, %s
              FROM %s c
             GROUP BY c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, c.month
            HAVING %s
            %s
            %s
            RETURNING %s AS total)
        SELECT coalesce(bool_or(total = 0), false) FROM written
        $sql$, names, sums, counts, changed, filling_order, conflict, total) INTO emptied;
    RETURN emptied;
END
$$;
REVOKE EXECUTE ON FUNCTION qa.add_triangulation_counts(text), qa.add_triangulation_month_counts(text) FROM PUBLIC;

-- 017's upkeep of both tables, deleting the rows come to 0 only when the adding said there were some. Otherwise as 017.
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
    ELSIF qa.add_triangulation_month_counts(
            '(SELECT c.school_id, c.subject_id, c.deep_dive_id, c.academic_year, c.term, c.standard, c.month, c.k, c.n'
            || ' FROM pg_temp.triangulation_change c WHERE c.n < 0'
            || ' UNION ALL SELECT r.school_id, r.subject_id, r.deep_dive_id, r.academic_year, r.term, r.standard, r.month,'
            || ' r.k, r.n FROM ' || incoming_ratings || ' r)') THEN
        EXECUTE format('DELETE FROM qa.triangulation_month WHERE %s = 0',
                       array_to_string(qa.triangulation_count_columns()::text[], ' + '));
    END IF;

    IF NOT EXISTS (SELECT 1 FROM qa.triangulation_summary) THEN
        PERFORM qa.fill_triangulation_summary_from_months();
        RETURN;
    END IF;
    EXECUTE 'INSERT INTO pg_temp.triangulation_change'
         || ' (school_id, subject_id, deep_dive_id, academic_year, term, standard, k, n, month)'
         || ' SELECT * FROM ' || incoming_ratings || ' r';
    IF qa.add_triangulation_counts('pg_temp.triangulation_change') THEN
        EXECUTE format('DELETE FROM qa.triangulation_summary WHERE %s = 0',
                       array_to_string(qa.triangulation_count_columns()::text[], ' + '));
    END IF;
END
$$;
