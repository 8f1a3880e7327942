-- Questions about a term or a year that no summary answers (a cohort or a year group with the staff level of
-- cpd-needs or with triangulation, feedback by subject or staff) read the records of that term from the base
-- tables. Without an index on the term, PostgreSQL read all 3 million records to keep a term's 265,000: the
-- records of one term for the SEND cohort took 0.79 s to find, and 0.22 s with this index. Records in use only,
-- as the queries read them. A first load builds it with the other indexes of qa.evidence, after the rows are in
-- (Sources/QALoad/BulkIndexes.swift).
CREATE INDEX evidence_term ON qa.evidence (academic_year, term) WHERE withdrawn_at IS NULL;
