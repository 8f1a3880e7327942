import Postgres

/// The set-based merge of a staged file into the evidence tables. Each statement runs inside the
/// load's transaction; `batch` and `source` are bound parameters.
enum MergeStatements {
    /// An evidence_id used twice in one file: both rows are rejected, each naming the other's line,
    /// because only the file's author can say which is right.
    static func rejectDuplicates() -> SQL {
        """
        WITH repeated AS (
            SELECT evidence_id, array_agg(line ORDER BY line) AS lines
              FROM stage WHERE kind = 'a' GROUP BY evidence_id HAVING count(*) > 1)
        UPDATE stage s
           SET kind = 'r', reject_column = 'evidence_id',
               reject_reason = format('evidence_id "%s" is also used on line %s of this file; '
                   || 'only one row may have an id, so neither was loaded: keep the right one and reload',
                   s.evidence_id, array_to_string(array_remove(r.lines, s.line), ', '))
          FROM repeated r
         WHERE s.kind = 'a' AND s.evidence_id = r.evidence_id
        RETURNING s.line
        """
    }

    // New schools, subjects and staff: the first row (by line) of each name not yet known gives the spelling.
    // Known names are set aside first with an anti-join, and the first line of each new one is found by
    // grouping, so a file of known names costs two scans of the stage and no sort (a DISTINCT ON over
    // every row took 2 s per kind of name at a million rows).

    static func createSchools(batch: Int) -> SQL {
        """
        WITH firsts AS (
            SELECT min(s.line) AS line FROM stage s
             WHERE s.kind = 'a' AND NOT EXISTS (SELECT 1 FROM qa.school x WHERE x.name_key = lower(s.school))
             GROUP BY lower(s.school))
        INSERT INTO qa.school (name, name_key, urn, created_batch)
        SELECT s.school, lower(s.school), s.school_urn, \(batch)
          FROM stage s JOIN firsts f ON f.line = s.line
         ORDER BY lower(s.school)
        ON CONFLICT (name_key) DO NOTHING
        RETURNING name
        """
    }

    static func createSubjects(batch: Int) -> SQL {
        """
        WITH firsts AS (
            SELECT min(s.line) AS line FROM stage s
             WHERE s.kind = 'a' AND s.subject IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM qa.subject x WHERE x.name_key = lower(s.subject))
             GROUP BY lower(s.subject))
        INSERT INTO qa.subject (name, name_key, created_batch)
        SELECT s.subject, lower(s.subject), \(batch)
          FROM stage s JOIN firsts f ON f.line = s.line
         ORDER BY lower(s.subject)
        ON CONFLICT (name_key) DO NOTHING
        RETURNING name
        """
    }

    /// The staff key: the source system's staff id when there is one, else the name.
    static let staffKey = "CASE WHEN s.staff_id IS NOT NULL THEN lower(s.staff_id) ELSE 'name:' || lower(s.staff_name) END"

    static func createStaff(batch: Int) -> SQL {
        SQL(verbatim: """
            WITH pairs AS (
                -- A file names the same few thousand staff over and over: the key is worked out once per
                -- distinct (id, name), not once per row.
                SELECT s.staff_id, s.staff_name, min(s.line) AS line FROM stage s
                 WHERE s.kind = 'a' AND (s.staff_id IS NOT NULL OR s.staff_name IS NOT NULL)
                 GROUP BY s.staff_id, s.staff_name),
            firsts AS (
                SELECT min(s.line) AS line FROM pairs s
                 WHERE NOT EXISTS (SELECT 1 FROM qa.staff x WHERE x.staff_key = \(staffKey))
                 GROUP BY \(staffKey))
            INSERT INTO qa.staff (staff_key, external_id, name, role, school_id, created_batch)
            SELECT \(staffKey), s.staff_id, s.staff_name, s.staff_role, sc.school_id,
            """) + """
             \(batch)
              FROM stage s JOIN firsts f ON f.line = s.line JOIN qa.school sc ON sc.name_key = lower(s.school)
            """ + SQL(verbatim: """
             ORDER BY \(staffKey)
            ON CONFLICT (staff_key) DO NOTHING
            RETURNING coalesce(name, external_id) AS name
            """)
    }

    /// Cohorts named for the first time. A file repeats a few dozen lists of cohorts over and over: each distinct
    /// list is unnested once.
    static let createCohorts: SQL = """
        INSERT INTO qa.cohort (name, name_key)
        SELECT DISTINCT ON (lower(c)) c, lower(c)
          FROM (SELECT DISTINCT cohorts FROM stage WHERE kind = 'a' AND cardinality(cohorts) > 0) s, unnest(s.cohorts) AS c
        ON CONFLICT (name_key) DO NOTHING
        """

    /// md5 of everything a record says once names are resolved to ids: equal hashes mean an unchanged record.
    static let contentHash = """
        md5(ROW(sc.school_id, su.subject_id, st.staff_id, s.observer, s.activity, s.activity_date,
                s.verbal_feedback_date, s.written_feedback_date, coalesce(s.year_groups, '{}'), coalesce(s.cohorts, '{}'),
                ARRAY[s.s1, s.s2, s.s3, s.s4, s.s5, s.s6, s.s7, s.s8, s.s9, s.s10, s.s11, s.s12],
                s.strengths, s.areas_for_development, s.next_steps, s.deep_dive_id)::text)
        """

    /// Resolves names to ids, hashes each record's content and matches it to what is already stored:
    /// each record is new, changed (its content differs, or it had been withdrawn) or unchanged.
    /// New records get their primary key here, so ratings can be inserted without a second lookup.
    static func resolve(source: String) -> SQL {
        SQL(verbatim: """
            CREATE TEMP TABLE incoming ON COMMIT DROP AS
            WITH days AS MATERIALIZED (
                SELECT day, qa.term_of(day) AS term
                  FROM (SELECT DISTINCT activity_date AS day FROM stage WHERE kind = 'a') d)
            SELECT x.*,
                   coalesce(x.existing_pk, nextval('qa.evidence_evidence_pk_seq')) AS evidence_pk,
                   CASE WHEN x.existing_pk IS NULL THEN 'new'
                        WHEN x.existing_withdrawn_at IS NOT NULL OR x.existing_hash <> x.content_hash THEN 'changed'
                        ELSE 'unchanged' END AS change
              FROM (
                SELECT s.line, s.evidence_id, sc.school_id, su.subject_id, st.staff_id, s.observer, s.activity,
                       s.activity_date, s.verbal_feedback_date, s.written_feedback_date,
                       qa.academic_year_of(s.activity_date) AS academic_year, days.term,
                       coalesce(s.year_groups, '{}') AS year_groups, coalesce(s.cohorts, '{}') AS cohorts,
                       s.strengths, s.areas_for_development, s.next_steps, s.deep_dive_id,
                       ARRAY[s.s1, s.s2, s.s3, s.s4, s.s5, s.s6, s.s7, s.s8, s.s9, s.s10, s.s11, s.s12] AS ratings,
                       \(contentHash) AS content_hash,
                       e.evidence_pk AS existing_pk, e.content_hash AS existing_hash,
                       e.withdrawn_at AS existing_withdrawn_at
                  FROM stage s
                  JOIN days ON days.day = s.activity_date
                  JOIN qa.school sc ON sc.name_key = lower(s.school)
                  LEFT JOIN qa.subject su ON su.name_key = lower(s.subject)
                  LEFT JOIN qa.staff st ON st.staff_key = \(staffKey)
                  LEFT JOIN qa.evidence e ON e.source =
            """) + " \(source) " + SQL(verbatim: """
                   AND e.evidence_id = s.evidence_id
                 WHERE s.kind = 'a') x
            """)
    }

    /// The previous version of every changed record, with its ratings, before it is overwritten.
    /// Runs with the owner's rights (SQL/005), so a loader login never reads ratings itself.
    static func keepHistory(batch: Int) -> SQL {
        "SELECT qa.keep_history(\(batch)::bigint)"
    }

    static func updateChanged(batch: Int) -> SQL {
        """
        UPDATE qa.evidence e SET
            school_id = i.school_id, subject_id = i.subject_id, staff_id = i.staff_id, observer = i.observer,
            activity = i.activity, activity_date = i.activity_date,
            verbal_feedback_date = i.verbal_feedback_date, written_feedback_date = i.written_feedback_date,
            academic_year = i.academic_year, term = i.term, year_groups = i.year_groups, cohorts = i.cohorts,
            strengths = i.strengths, areas_for_development = i.areas_for_development, next_steps = i.next_steps,
            deep_dive_id = i.deep_dive_id, content_hash = i.content_hash, last_batch = \(batch), updated_at = now(),
            withdrawn_at = NULL, withdrawn_batch = NULL
          FROM incoming i
         WHERE e.evidence_pk = i.evidence_pk AND i.change = 'changed'
        """
    }

    static let deleteChangedRatings: SQL = """
        DELETE FROM qa.rating r USING incoming i WHERE r.evidence_pk = i.evidence_pk AND i.change = 'changed'
        """

    static func insertNew(source: String, batch: Int) -> SQL {
        """
        INSERT INTO qa.evidence (
            evidence_pk, source, evidence_id, school_id, subject_id, staff_id, observer, activity, activity_date,
            verbal_feedback_date, written_feedback_date, academic_year, term, year_groups, cohorts,
            strengths, areas_for_development, next_steps, deep_dive_id, content_hash, first_batch, last_batch)
        SELECT evidence_pk, \(source), evidence_id, school_id, subject_id, staff_id, observer, activity, activity_date,
               verbal_feedback_date, written_feedback_date, academic_year, term, year_groups, cohorts,
               strengths, areas_for_development, next_steps, deep_dive_id, content_hash, \(batch), \(batch)
          FROM incoming WHERE change = 'new'
         ORDER BY evidence_pk
        """
    }

    static let insertRatings: SQL = """
        INSERT INTO qa.rating (evidence_pk, standard, rating)
        SELECT i.evidence_pk, u.standard, u.rating
          FROM incoming i CROSS JOIN LATERAL unnest(i.ratings) WITH ORDINALITY AS u(rating, standard)
         WHERE i.change IN ('new', 'changed') AND u.rating IS NOT NULL
         ORDER BY i.evidence_pk, u.standard
        """

    /// A snapshot file lists every current record of its source: the others are withdrawn.
    /// Rows rejected this time still count as listed, so a typo never withdraws a record.
    static func withdrawAbsent(source: String, batch: Int) -> SQL {
        """
        UPDATE qa.evidence e SET withdrawn_at = now(), withdrawn_batch = \(batch)
         WHERE e.source = \(source) AND e.withdrawn_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM stage s WHERE s.evidence_id = e.evidence_id)
        """
    }

    /// Counts of the ratings a load adds (positive) or takes away (negative), by the attributes the
    /// summaries are kept by; applied to the summaries at the end (SQL/006, SQL/008). The ratings a load
    /// adds go in one row each: nearly every rating of a big load differs from the others in staff, cohorts
    /// or year groups, so grouping them here cost 10 s at a million records and saved nothing. The counts
    /// are integers: their sums then add up in 64-bit integers, where bigint counts summed in numeric and
    /// made each summary's grouping too big to hash in memory. The month (the first day of the record's
    /// calendar month) came last, with the month summary (SQL/016).
    static let createSummaryChange: SQL = """
        CREATE TEMP TABLE summary_change (
            school_id integer, subject_id integer, staff_id integer, activity text, academic_year smallint,
            term text, standard smallint, cohorts text[], year_groups smallint[],
            n_red integer, n_amber integer, n_green integer, n_gold integer, month date
        ) ON COMMIT DROP
        """

    /// Records as `query feedback` counts them (SQL/009): one row per record, n = 1 added or -1 taken away. The
    /// cohorts and year groups came last, with the tables per cohort and year group (SQL/026), then the activity,
    /// with the table per activity (SQL/029), then the subject, with the tables per subject (SQL/030).
    static let createFeedbackChange: SQL = """
        CREATE TEMP TABLE feedback_change (
            school_id integer, observer text, academic_year smallint, term text, activity_date date,
            verbal_feedback_date date, written_feedback_date date, n integer, cohorts text[], year_groups smallint[],
            activity text, subject_id integer
        ) ON COMMIT DROP
        """

    /// Ratings a load takes away from the triangulation summary (SQL/010), one row each with n = -1, by
    /// the columns it is kept by (k: the activity and rating's column). The ratings it adds are read from
    /// `incoming` by `qa.apply_triangulation_change()`. The month (first day of the record's calendar month) came
    /// last, with the month table (SQL/017).
    static let createTriangulationChange: SQL = """
        CREATE TEMP TABLE triangulation_change (
            school_id integer, subject_id integer, deep_dive_id text, academic_year smallint, term text,
            standard smallint, k integer, n integer, month date
        ) ON COMMIT DROP
        """

    static let takeAwayChanged: SQL = "SELECT qa.take_away_stored_ratings('changed', NULL)"

    static let takeAwayChangedTriangulation: SQL = "SELECT qa.take_away_triangulation('changed', NULL)"

    static func takeAwayWithdrawnTriangulation(batch: Int) -> SQL {
        "SELECT qa.take_away_triangulation('withdrawn', \(batch)::bigint)"
    }

    static func applyTriangulationChange(batch: Int) -> SQL {
        "SELECT qa.apply_triangulation_change(\(batch)::bigint)"
    }

    /// The stored versions of records about to change, as they were counted (before the update).
    static let takeAwayChangedFeedback: SQL = """
        INSERT INTO feedback_change
        SELECT e.school_id, e.observer, e.academic_year, e.term, e.activity_date, e.verbal_feedback_date,
               e.written_feedback_date, -1, e.cohorts, e.year_groups, e.activity, e.subject_id
          FROM qa.evidence e
         WHERE e.evidence_pk IN (SELECT i.evidence_pk FROM incoming i WHERE i.change = 'changed')
           AND e.withdrawn_at IS NULL
        """

    static func takeAwayWithdrawnFeedback(batch: Int) -> SQL {
        """
        INSERT INTO feedback_change
        SELECT e.school_id, e.observer, e.academic_year, e.term, e.activity_date, e.verbal_feedback_date,
               e.written_feedback_date, -1, e.cohorts, e.year_groups, e.activity, e.subject_id
          FROM qa.evidence e WHERE e.withdrawn_batch = \(batch)::bigint
        """
    }

    static let addIncomingFeedback: SQL = """
        INSERT INTO feedback_change
        SELECT i.school_id, i.observer, i.academic_year, i.term, i.activity_date, i.verbal_feedback_date,
               i.written_feedback_date, 1, i.cohorts, i.year_groups, i.activity, i.subject_id
          FROM incoming i WHERE i.change IN ('new', 'changed')
        """

    static let applyFeedbackChange: SQL = "SELECT qa.apply_feedback_change()"

    static func takeAwayWithdrawn(batch: Int) -> SQL {
        "SELECT qa.take_away_stored_ratings('withdrawn', \(batch)::bigint)"
    }

    static let addIncomingRatings: SQL = """
        INSERT INTO summary_change
        SELECT i.school_id, i.subject_id, i.staff_id, i.activity, i.academic_year, i.term, u.standard,
               i.cohorts, i.year_groups,
               (u.rating = 'red')::int, (u.rating = 'amber')::int, (u.rating = 'green')::int, (u.rating = 'gold')::int,
               date_trunc('month', i.activity_date)::date
          FROM incoming i CROSS JOIN LATERAL unnest(i.ratings) WITH ORDINALITY AS u(rating, standard)
         WHERE i.change IN ('new', 'changed') AND u.rating IS NOT NULL
        """

    static let applySummaryChange: SQL = "SELECT qa.apply_summary_change()"

    /// The same changes applied to the staff summaries without year and term, cohort or year group (SQL/011).
    static func applyStaffSummaryChange(batch: Int) -> SQL {
        "SELECT qa.apply_staff_summary_change(\(batch)::bigint)"
    }

    /// The Amber and Red ratings `query cpd-needs` weighs for staff (SQL/012): those of changed and withdrawn
    /// records go, those of new and changed records come.
    static func applySupportEvidenceChange(batch: Int, withdrawn: Bool) -> SQL {
        "SELECT qa.apply_support_evidence_change(\(batch)::bigint, \(withdrawn)::boolean)"
    }

    /// Every row of the file accounted for: read, rejected (by the reader or as a repeated id), and each
    /// accepted record new, changed or unchanged. Counted once, right after the records are classified;
    /// nothing later changes the staged rows or their classification.
    static let counts: SQL = """
        SELECT st.read, st.rejected, i.inserted, i.updated, i.unchanged
          FROM (SELECT count(*) AS read, count(*) FILTER (WHERE kind = 'r') AS rejected FROM stage) st,
               (SELECT count(*) FILTER (WHERE change = 'new') AS inserted,
                       count(*) FILTER (WHERE change = 'changed') AS updated,
                       count(*) FILTER (WHERE change = 'unchanged') AS unchanged
                  FROM incoming) i
        """

    static func saveRejects(batch: Int) -> SQL {
        """
        INSERT INTO qa.load_reject (batch_id, line, column_name, reason, evidence_id, original)
        SELECT \(batch), line, reject_column, reject_reason, evidence_id, coalesce(original, '')
          FROM stage WHERE kind = 'r'
        """
    }

    static func saveRecordWarnings(batch: Int) -> SQL {
        """
        INSERT INTO qa.load_warning (batch_id, line, column_name, message)
        SELECT \(batch), line, NULL, warning FROM stage WHERE kind = 'a' AND warning IS NOT NULL
        """
    }
}
