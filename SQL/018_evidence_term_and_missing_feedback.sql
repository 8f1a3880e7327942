-- Two indexes on the records in use, for questions no summary answers. A first load builds them with the other
-- indexes of qa.evidence, after the rows are in (Sources/QALoad/BulkIndexes.swift).
--
-- By academic year and term: a term or a year with a cohort or a year group (cpd-needs' staff level,
-- triangulation), or feedback by subject or staff member, reads that term's records from the base tables.
-- Without the index PostgreSQL read all 3 million records to keep a term's 265,000: the records of one term for
-- the SEND cohort took 0.79 s to find, and 0.22 s with it.
CREATE INDEX evidence_term ON qa.evidence (academic_year, term) WHERE withdrawn_at IS NULL;

-- By day, for the records still missing verbal or written feedback (a fifth of them): feedback as of a day before
-- the summary's (SQL/009) corrects the summary with the missing feedback of the records from ten working days
-- before that day onwards (Sources/QAQuery/FeedbackTimeliness.swift).
CREATE INDEX evidence_feedback_missing ON qa.evidence (activity_date)
    WHERE withdrawn_at IS NULL AND (verbal_feedback_date IS NULL OR written_feedback_date IS NULL);
