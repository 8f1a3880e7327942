-- The staff level of `query cpd-needs` for a term or an academic year, grouped once by the loads instead of by
-- every query: qa.support_evidence (SQL/012) summed per academic year, term, staff member, standard and school
-- (the school of the records, so that a school leader sees only their own school's rows), with the evidence ids
-- behind the counts. One academic year at 3 million records is 1.07 million Amber and Red ratings, which took
-- 0.7 s to group into flags with their ids; from this table it is 233,000 rows (0.3 s).
--
-- The ids of a row are in date order (then by id). A year's flag joins its terms' rows in term order
-- ('autumn' < 'spring' < 'summer', which is also their order in the year), so the joined list is in date order
-- without being sorted again; a staff member with records at two schools in one term lists one school's, then the
-- other's. The staff level read from the other sources orders its ids the same way (CPDNeeds.evidenceOrder).
--
-- The ids are kept as the inside of PostgreSQL's text form of a text array, without its braces (`EV1,"EV 2"`):
-- lists in that form are joined by string_agg with a comma, and the braces put round the result make the text
-- form of the joined array. Joining real arrays (array_cat) cost 0.1 s more for one year at 3 million records.
CREATE TABLE qa.support_evidence_term (
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    staff_id      integer NOT NULL,
    standard      smallint NOT NULL,
    school_id     integer NOT NULL,
    red           integer NOT NULL,
    amber         integer NOT NULL,
    evidence_ids  text NOT NULL,
    -- In the order one term's staff level groups by.
    PRIMARY KEY (academic_year, term, staff_id, standard, school_id)
);

-- An array's elements in the text form above: its text form less the braces (array_agg's arrays start at 1, so
-- the text has no bounds before them).
CREATE FUNCTION qa.array_items_text(items text[]) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    RETURN substr(items::text, 2, length(items::text) - 2);

-- The rows of the given keys (every key when `keys` is NULL), grouped from qa.support_evidence.
CREATE FUNCTION qa.support_evidence_term_rows(keys regclass) RETURNS text
    LANGUAGE sql STABLE
    RETURN 'SELECT s.academic_year, s.term, s.staff_id, s.standard, s.school_id,'
        || ' count(*) FILTER (WHERE s.rating = ''red''), count(*) FILTER (WHERE s.rating = ''amber''),'
        || ' qa.array_items_text(array_agg(s.evidence_id ORDER BY s.activity_date, s.evidence_id))'
        || ' FROM qa.support_evidence s'
        || CASE WHEN keys IS NULL THEN ''
                ELSE ' JOIN (SELECT DISTINCT * FROM ' || keys::text || ') k'
                     || ' USING (academic_year, term, staff_id, standard, school_id)' END
        || ' GROUP BY s.academic_year, s.term, s.staff_id, s.standard, s.school_id';

-- Empties the table and groups every row of qa.support_evidence into it.
CREATE FUNCTION qa.fill_support_evidence_term() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET work_mem = '256MB' AS $$
BEGIN
    TRUNCATE qa.support_evidence_term;
    EXECUTE 'INSERT INTO qa.support_evidence_term ' || qa.support_evidence_term_rows(NULL);
    ANALYZE qa.support_evidence_term;
END
$$;

-- What a load calls once its records are written (the loader's "support evidence" step, by this name since
-- SQL/012). SQL/012's upkeep of qa.support_evidence keeps its body under a new name; around it, the keys of the
-- rows it removes and adds are noted, and only those keys are grouped again. An empty table is filled whole.
ALTER FUNCTION qa.apply_support_evidence_change(bigint, boolean) RENAME TO apply_support_evidence_rows;

CREATE FUNCTION qa.apply_support_evidence_change(batch bigint, withdrawn boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM qa.support_evidence) OR NOT EXISTS (SELECT 1 FROM qa.support_evidence_term) THEN
        PERFORM qa.apply_support_evidence_rows(batch, withdrawn);
        PERFORM qa.fill_support_evidence_term();
        RETURN;
    END IF;
    -- Before: the keys of the rows about to go (changed and withdrawn records, as they were).
    CREATE TEMP TABLE support_term_keys ON COMMIT DROP AS
    SELECT s.academic_year, s.term, s.staff_id, s.standard, s.school_id
      FROM qa.support_evidence s
     WHERE s.evidence_pk IN (SELECT i.evidence_pk FROM pg_temp.incoming i WHERE i.change = 'changed')
        OR (withdrawn AND s.evidence_pk IN (SELECT e.evidence_pk FROM qa.evidence e WHERE e.withdrawn_batch = batch));
    PERFORM qa.apply_support_evidence_rows(batch, withdrawn);
    -- After: the keys of the rows just added (new and changed records, as they are now).
    EXECUTE 'INSERT INTO pg_temp.support_term_keys SELECT academic_year, term, staff_id, standard, school_id FROM ('
        || qa.incoming_support_evidence() || ') n';
    DELETE FROM qa.support_evidence_term t
     USING pg_temp.support_term_keys k
     WHERE (t.academic_year, t.term, t.staff_id, t.standard, t.school_id)
         = (k.academic_year, k.term, k.staff_id, k.standard, k.school_id);
    EXECUTE 'INSERT INTO qa.support_evidence_term ' || qa.support_evidence_term_rows('pg_temp.support_term_keys');
    DROP TABLE pg_temp.support_term_keys;
END
$$;

-- `calendar load` moves records between terms: the full rebuild fills this table again too (SQL/012's body,
-- with one more step).
CREATE OR REPLACE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_count_summaries();
    PERFORM qa.fill_support_evidence('stored');
    PERFORM qa.fill_support_evidence_term();
END
$$;

-- The subject level of `query cpd-needs` for an academic year (and `distribution` by school and subject for a
-- year) groups qa.rating_summary by school, subject and standard: read from this index in that order, without
-- the table, one year at 3 million records took 0.12 s instead of 0.34 s.
CREATE INDEX rating_summary_year ON qa.rating_summary (academic_year, school_id, subject_id, standard)
    INCLUDE (n_red, n_amber, n_green, n_gold);

-- Who may read it: as the records it comes from, school by school.
SELECT qa.protect_by_school('qa.support_evidence_term', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.support_evidence_term TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.support_evidence_term TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.fill_support_evidence_term(), qa.apply_support_evidence_rows(bigint, boolean),
    qa.apply_support_evidence_change(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.apply_support_evidence_change(bigint, boolean) TO qa_loader, qa_owner;

-- Fill it from the records already loaded.
SELECT qa.fill_support_evidence_term();
