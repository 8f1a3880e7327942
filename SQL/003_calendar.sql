-- The trust's own term dates and closure days. Where a year has no term dates, the default terms
-- apply: autumn September-December, spring January-March, summer April-August.
CREATE TABLE qa.term_date (
    academic_year smallint NOT NULL,
    term          text NOT NULL CHECK (term IN ('autumn', 'spring', 'summer')),
    starts_on     date NOT NULL,
    ends_on       date NOT NULL CHECK (ends_on >= starts_on),
    PRIMARY KEY (academic_year, term)
);

-- Days that are not working days although they fall on a weekday (INSET days, bank holidays, holidays).
CREATE TABLE qa.closure_day (
    day     date PRIMARY KEY,
    reason  text
);

-- The term a date falls in: the trust's term dates where loaded, else the default months.
-- A date in a holiday between the trust's terms counts in the term before it.
CREATE FUNCTION qa.term_of(d date) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(
        (SELECT t.term FROM qa.term_date t
          WHERE t.academic_year = (extract(year FROM d)::int - CASE WHEN extract(month FROM d) < 9 THEN 1 ELSE 0 END)
            AND t.starts_on <= d
          ORDER BY t.starts_on DESC LIMIT 1),
        CASE WHEN extract(month FROM d) >= 9 THEN 'autumn'
             WHEN extract(month FROM d) <= 3 THEN 'spring'
             ELSE 'summer' END);

CREATE FUNCTION qa.academic_year_of(d date) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (extract(year FROM d)::int - CASE WHEN extract(month FROM d) < 9 THEN 1 ELSE 0 END)::smallint;

-- Working days after `from_day` up to and including `to_day`: Monday to Friday less closure days.
CREATE FUNCTION qa.working_days_between(from_day date, to_day date) RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT count(*)::int
              FROM generate_series(from_day + 1, to_day, interval '1 day') AS g(day)
             WHERE extract(isodow FROM g.day) < 6
               AND NOT EXISTS (SELECT 1 FROM qa.closure_day c WHERE c.day = g.day::date));
