-- Two indexes that let `query coverage` look each gap up instead of grouping whole summaries
-- (Sources/QAQuery/Coverage.swift). At 3 million records coverage read all 4.2 million rows of
-- qa.rating_staff_summary to find the staff with no lesson visit this term (0.54 s) and qa.rating_summary twice
-- (0.44 s and 0.16 s); with these it asks, per school and subject, per staff member and per subject and standard,
-- whether a row exists: 0.76-0.93 s became 0.14-0.15 s in PostgreSQL (7 December, by hand, same answers).
--
-- The staff rated in a year come from qa.rating_staff_term_summary (011, a few rows per staff member); whether one
-- had a lesson visit in a term is read from the lesson visits' rows of the staff summary alone. The school and
-- subject are included so that the school and subject filters, and row-level security, need no visit to the table.
CREATE INDEX rating_staff_summary_lesson_visits ON qa.rating_staff_summary (academic_year, term, staff_id)
    INCLUDE (school_id, subject_id) WHERE activity = 'lesson_visit';

-- Whether a subject has ever been rated on a standard (in a school): a standard never evidenced for a subject.
CREATE INDEX rating_summary_subject ON qa.rating_summary (subject_id, standard, school_id);
