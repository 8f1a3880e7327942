-- The evidence `query cpd-needs` weighs for its staff level (policy 8.8: at least two Amber or Red ratings on a
-- standard from two records, at least one Red): every Amber and Red rating of a record in use that names a staff
-- member, with the few facts of its record the staff level is filtered by. One term of it at 3 million records
-- is about 400,000 rows, read from one index (support_evidence_flags) already in the order the query groups them
-- (0.3 s), where the base tables gave the same answer only after reading all 10 million ratings and joining
-- them to their records (2.1 s for one term).
--
-- Loads keep it: qa.apply_support_evidence_change() deletes the rows of the load's changed and withdrawn records
-- and adds those of its new and changed ones (pg_temp.incoming). An empty table is filled in one pass without
-- its indexes (a first load from its own records; otherwise from every record), and `calendar load`, which moves
-- records between terms, fills it again through qa.refresh_summaries().
CREATE TABLE qa.support_evidence (
    evidence_pk   bigint NOT NULL,
    standard      smallint NOT NULL,
    rating        qa.ragg NOT NULL CHECK (rating IN ('amber', 'red')),
    evidence_id   text NOT NULL,
    school_id     integer NOT NULL,
    subject_id    integer,
    staff_id      integer NOT NULL,
    activity      text NOT NULL,
    activity_date date NOT NULL,
    academic_year smallint NOT NULL,
    term          text NOT NULL,
    PRIMARY KEY (evidence_pk, standard)
);
-- A term's rows in staff, standard and evidence id order, with the rating: the staff level of one term is read
-- from the index alone (once vacuumed), with no sort before its grouping.
CREATE INDEX support_evidence_flags ON qa.support_evidence (academic_year, term, staff_id, standard, evidence_id)
    INCLUDE (rating);

-- The subject level of one term reads qa.rating_summary (school x subject x activity x year x term x standard),
-- whose key starts with the school: without this index it read all 1.4 million rows at 3 million records
-- (0.3 s) for the 170,000 of one term.
CREATE INDEX rating_summary_term ON qa.rating_summary (academic_year, term);

-- The table's rows for the new and changed records of the load under way (pg_temp.incoming).
CREATE FUNCTION qa.incoming_support_evidence() RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN $sql$
        SELECT i.evidence_pk, u.standard::smallint, u.rating::qa.ragg, i.evidence_id, i.school_id, i.subject_id,
               i.staff_id, i.activity, i.activity_date, i.academic_year, i.term
          FROM pg_temp.incoming i CROSS JOIN LATERAL unnest(i.ratings) WITH ORDINALITY AS u(rating, standard)
         WHERE i.change IN ('new', 'changed') AND i.staff_id IS NOT NULL AND u.rating::text IN ('amber', 'red')$sql$;

-- Empties the table and fills it from `source` (incoming: the load's own records, a first load; stored: every
-- record in use), with its two indexes built once afterwards instead of row by row.
CREATE FUNCTION qa.fill_support_evidence(source text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET maintenance_work_mem = '512MB' AS $$
DECLARE
    -- Built again from their own definitions, as they were dropped.
    key_definition CONSTANT text := (SELECT pg_get_constraintdef(oid) FROM pg_constraint
                                      WHERE conrelid = 'qa.support_evidence'::regclass AND contype = 'p');
    index_definition CONSTANT text := pg_get_indexdef('qa.support_evidence_flags'::regclass);
BEGIN
    TRUNCATE qa.support_evidence;
    ALTER TABLE qa.support_evidence DROP CONSTRAINT support_evidence_pkey;
    DROP INDEX qa.support_evidence_flags;
    IF source = 'incoming' THEN
        EXECUTE 'INSERT INTO qa.support_evidence ' || qa.incoming_support_evidence();
    ELSIF source = 'stored' THEN
        INSERT INTO qa.support_evidence
        SELECT e.evidence_pk, r.standard, r.rating, e.evidence_id, e.school_id, e.subject_id, e.staff_id,
               e.activity, e.activity_date, e.academic_year, e.term
          FROM qa.rating r JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk
         WHERE r.rating IN ('amber', 'red') AND e.withdrawn_at IS NULL AND e.staff_id IS NOT NULL;
    ELSE
        RAISE EXCEPTION 'fill_support_evidence: unknown source %', source;
    END IF;
    EXECUTE 'ALTER TABLE qa.support_evidence ADD CONSTRAINT support_evidence_pkey ' || key_definition;
    EXECUTE index_definition;
    ANALYZE qa.support_evidence;
END
$$;

-- What load `batch` calls once its records are written: the rows of its changed records and (`withdrawn`) of
-- the records it withdrew go, those of its new and changed records come. An empty table is filled whole.
CREATE FUNCTION qa.apply_support_evidence_change(batch bigint, withdrawn boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM qa.support_evidence) THEN
        PERFORM qa.fill_support_evidence(CASE WHEN qa.every_record_written_by(batch) THEN 'incoming' ELSE 'stored' END);
        RETURN;
    END IF;
    DELETE FROM qa.support_evidence s
     USING pg_temp.incoming i
     WHERE s.evidence_pk = i.evidence_pk AND i.change = 'changed';
    IF withdrawn THEN
        DELETE FROM qa.support_evidence s
         USING qa.evidence e
         WHERE s.evidence_pk = e.evidence_pk AND e.withdrawn_batch = batch;
    END IF;
    EXECUTE 'INSERT INTO qa.support_evidence ' || qa.incoming_support_evidence();
END
$$;

-- `calendar load` moves records between terms: the full rebuild fills this table again too. SQL/011's rebuild of
-- every count summary keeps its body (and its grants) under a new name, called from the new one.
ALTER FUNCTION qa.refresh_summaries() RENAME TO refresh_count_summaries;

CREATE FUNCTION qa.refresh_summaries() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM qa.refresh_count_summaries();
    PERFORM qa.fill_support_evidence('stored');
END
$$;

-- Who may read it: as the records it comes from, school by school (it names staff by id only, as qa.evidence).
SELECT qa.protect_by_school('qa.support_evidence', 'qa.visible_school(school_id)');
GRANT SELECT ON qa.support_evidence TO qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON qa.support_evidence TO qa_owner;
REVOKE EXECUTE ON FUNCTION qa.fill_support_evidence(text), qa.apply_support_evidence_change(bigint, boolean),
    qa.refresh_summaries() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.refresh_summaries() TO qa_loader, qa_owner;
GRANT EXECUTE ON FUNCTION qa.apply_support_evidence_change(bigint, boolean) TO qa_loader, qa_owner;

-- Fill it from the records already loaded.
SELECT qa.fill_support_evidence('stored');
