-- Questions by dates (`--from`, `--to`) read the records of those days and their ratings: no summary keeps
-- days. Without an index on the day, PostgreSQL read all 3 million records (and hashed every rating) to keep a
-- quarter of them: a distribution by standard and school for one quarter took 1.4 s in PostgreSQL, and
-- 0.75-0.85 s with this index. Records in use only, as the queries read them. A first load builds it with the
-- other indexes of qa.evidence, after the rows are in (Sources/QALoad/BulkIndexes.swift).
CREATE INDEX evidence_date ON qa.evidence (activity_date) WHERE withdrawn_at IS NULL;
