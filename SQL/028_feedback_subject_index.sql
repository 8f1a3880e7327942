-- `query feedback` for a subject reads the base tables (no feedback summary has subjects): every record of the
-- subject in the period, and of each only its school, observer and three dates. Those records lie in every page of
-- qa.evidence, a wide table (free text), so a year's maths at 3 million records (179,000 of its 540,000 records)
-- read 143,000 pages, nearly the whole table: 1.8-2.0 s for the whole command (7 December, by hand, warm cache).
-- This index holds what the question reads, so PostgreSQL answers it from the index alone (once autovacuum has
-- marked the table's pages all-visible, which 019 asks for after 1% of its rows change): 0.85 s, the same answer.
-- 201 MB at 3 million records; built in 5 s (a first load drops and builds it again with the others).
--
-- The key is what the filters compare (subject, then year and term); the rest rides along for the query and for
-- row-level security (the school). The same index for an activity was tried and not kept: a year's lesson visits
-- (600,000 records) read from the table in parallel as fast as from an index, and their time is in the grouping.
CREATE INDEX evidence_feedback_subject ON qa.evidence (subject_id, academic_year, term)
    INCLUDE (school_id, observer, activity_date, verbal_feedback_date, written_feedback_date)
    WHERE withdrawn_at IS NULL;
