-- A nightly load changes about 1% of the records, and with them rows on most pages of every summary. PostgreSQL's
-- autovacuum waits for 20% of a table's rows to be dead (10% for new statistics), so it seldom came after a load:
-- the pages a load touched stayed out of the visibility map, and the summaries' index-only scans read the table
-- for each row. At 3 million records, after one 1% reload and a migration, 95% of qa.rating_summary's pages were
-- out of the map, and cpd-needs for a year took 1.0 s instead of 0.8 s. A load may not vacuum (it runs as
-- qa_loader, which owns no table), so autovacuum is asked to come after 1% of a table's rows change, for every
-- table of the schema; a test keeps later tables the same.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'qa'::regnamespace AND c.relkind = 'r' ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE %s SET (autovacuum_vacuum_scale_factor = 0.01, '
                       'autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01)', t);
    END LOOP;
END
$$;
