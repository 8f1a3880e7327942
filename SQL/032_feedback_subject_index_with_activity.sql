-- 028's index of the records by subject, year and term, with the activity included too, so that feedback for a
-- subject and an activity together (which no summary holds) reads the index alone, as a subject alone did before
-- 030: the activity was the one column the question needed from the records' pages. At 3 million records (7
-- December, by hand, the statement alone, each index dropped in turn in a rolled-back transaction): a year's maths
-- lesson visits 0.88-1.07 s -> 0.58-0.62 s, the same answer; a year's maths by dates 0.77-0.93 s with either. The
-- index grows from 208 MB to 258 MB and takes about 6.5 s to build.
DROP INDEX qa.evidence_feedback_subject;
CREATE INDEX evidence_feedback_subject ON qa.evidence (subject_id, academic_year, term)
    INCLUDE (school_id, observer, activity_date, verbal_feedback_date, written_feedback_date, activity)
    WHERE withdrawn_at IS NULL;
