-- The cohort and year-group summaries (SQL/004) by academic year and term. Their keys begin with the school, so a
-- question about one term or year for a cohort or a year group read the whole key index to find that term's rows:
-- at 3 million records cpd-needs for this term and the SEND cohort read 4.7 million rows of
-- qa.rating_cohort_summary to keep 64,000 (0.68 s of its 1.0 s); with the index below, 0.09 s. The cohort is
-- matched in any letter case, as the filter writes it (`lower(x.cohort) = lower(value)`). A load maintains them
-- as it does the summaries' other indexes.
CREATE INDEX rating_cohort_summary_term ON qa.rating_cohort_summary (academic_year, term, lower(cohort));
CREATE INDEX rating_year_group_summary_term ON qa.rating_year_group_summary (academic_year, term, year_group);
