-- A stored working-day count for every date, so `query feedback` finds the working days between an
-- activity and its feedback with two lookups instead of generating and scanning a calendar per query.
--
-- qa.working_day.idx is the number of working days (Monday to Friday less closure days) from 1 January 2000
-- up to and including the day; the working days after a up to and including b are idx(b) - idx(a).
-- Evidence dates are never before 2000 nor in the future (the loader's validation), so 2000-2100 covers
-- every date a record can carry this century. A trigger keeps the counts in step with qa.closure_day.
CREATE TABLE qa.working_day (
    day  date PRIMARY KEY,
    idx  integer NOT NULL
);

CREATE FUNCTION qa.refresh_working_days() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    TRUNCATE qa.working_day;
    INSERT INTO qa.working_day (day, idx)
    SELECT g.day::date,
           sum(CASE WHEN extract(isodow FROM g.day) < 6 AND c.day IS NULL THEN 1 ELSE 0 END)
               OVER (ORDER BY g.day)::integer
      FROM generate_series(DATE '2000-01-01', DATE '2100-12-31', interval '1 day') AS g(day)
      LEFT JOIN qa.closure_day c ON c.day = g.day::date;
    ANALYZE qa.working_day;
    RETURN NULL;
END
$$;

CREATE TRIGGER closure_days_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON qa.closure_day
    FOR EACH STATEMENT EXECUTE FUNCTION qa.refresh_working_days();

-- Fill it now, from whatever closure days are already loaded.
UPDATE qa.closure_day SET day = day WHERE false;

-- The same rule, stored: working_days_between keeps its meaning for any dates, and reads the table when it can.
CREATE OR REPLACE FUNCTION qa.working_days_between(from_day date, to_day date) RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(
        (SELECT greatest(b.idx - a.idx, 0) FROM qa.working_day a, qa.working_day b WHERE a.day = from_day AND b.day = to_day),
        (SELECT count(*)::int
           FROM generate_series(from_day + 1, to_day, interval '1 day') AS g(day)
          WHERE extract(isodow FROM g.day) < 6
            AND NOT EXISTS (SELECT 1 FROM qa.closure_day c WHERE c.day = g.day::date)));

GRANT SELECT ON qa.working_day TO qa_loader, qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.working_day TO qa_owner;
