import Postgres
import QACore

/// `query feedback`: verbal feedback within 5 working days (policy 7.1) and written within 10 (7.2),
/// per school and per observer. Working days are Monday to Friday less closure days, counted after the
/// activity date up to and including the feedback date.
public struct FeedbackTimeliness: Sendable {
    public var filter: Filter
    /// The day against which missing feedback is judged overdue or still pending.
    public var today: CalendarDate
    /// Whether observers' names may be shown (see `StaffNameAccess`); without them there are no observer rows.
    public var namesVisible: Bool
    public var preference: CountSource.Preference

    public init(
        filter: Filter = Filter(), today: CalendarDate = .today(), namesVisible: Bool = true,
        preference: CountSource.Preference = .automatic
    ) {
        self.filter = filter
        self.today = today
        self.namesVisible = namesVisible
        self.preference = preference
    }

    /// The fields the feedback summaries (SQL/009) carry; other filters read the base tables.
    static let summaryFields: Set<Field> = [.school, .academicYear, .term]

    /// The summary that answers the filter, nil when only the base tables can: with the summary's fields, 009's by
    /// year and term when the filter names either, else the one over every year (a quarter of the rows); with a
    /// cohort or a year group beside them (one: each table has only its own), 026's table of it; with an activity
    /// or a subject, 029's or 030's by year and term, or 030's over every year when the filter names neither. By
    /// dates, the one by year and term for the terms wholly inside the range (`termRange`).
    public var summary: FeedbackSummary? {
        guard preference == .automatic else { return nil }
        var fields = filter.fields
        if fields.contains(.date) {
            guard termRange != nil else { return nil }
            fields.remove(.date)
            fields.insert(.academicYear)
        }
        let everyYear = fields.isDisjoint(with: [.academicYear, .term])
        if fields.isSubset(of: Self.summaryFields) { return everyYear ? .overall : .terms }
        if fields.subtracting([.cohort]).isSubset(of: Self.summaryFields) { return .cohorts }
        if fields.subtracting([.yearGroup]).isSubset(of: Self.summaryFields) { return .yearGroups }
        if fields.subtracting([.activity]).isSubset(of: Self.summaryFields) { return everyYear ? .activitiesOverall : .activities }
        if fields.subtracting([.subject]).isSubset(of: Self.summaryFields) { return everyYear ? .subjectsOverall : .subjects }
        return nil
    }

    var usesSummary: Bool { summary != nil }

    /// A range of dates read as the terms wholly inside it, from a summary by year and term, and the days left over
    /// at its ends, from the base tables (see `TermRange`).
    ///
    /// Only where the records outside whole terms are few to read, or found by a key: with a cohort or a year group, a
    /// range open at one end, or a range of whole terms by the default dates (1 September to 31 March, or whole
    /// academic years). Feedback read term by term for a range with a term not whole at both ends cost more than
    /// reading the range by date once (1 October 2023 to 15 May 2025 at 3 million records: 4.0 s from the records,
    /// 6.1 s split).
    public var termRange: TermRange? {
        guard preference == .automatic, let range = TermRange(for: filter) else { return nil }
        let openEnded = filter.from == nil || filter.to == nil
        guard filter.cohort != nil || filter.yearGroup != nil || openEnded || range.isWholeDefaultTerms else {
            return nil
        }
        return range
    }

    /// The rows of a source aliased `a` in the range's whole terms, when the filter has dates: the condition that
    /// stands for them where a summary's rows and their corrections are read (with `Filter.withoutDates`).
    private func inWholeTerms(_ a: String) -> [SQL] {
        guard let termRange else { return [] }
        return [termRange.inWholeTerms(a)]
    }

    /// Whether a load has judged the summary (SQL/009 keeps the day in qa.feedback_summary_state; there is none
    /// only while there are no records). Asked first, so that the statement holds only the source that answers:
    /// with the base tables' part in it, unused, PostgreSQL still set up hash tables sized for every record
    /// before running it (about 80 ms of 750 at 3 million records).
    static let summaryJudged: SQL = "SELECT EXISTS (SELECT 1 FROM qa.feedback_summary_state) AS judged"

    /// The statement run once a load has judged the summary (the base tables' when the summary cannot answer).
    public var sql: SQL { statement(summaryJudged: true) }

    /// What `--explain` shows: the check, then the statement run after it.
    public var explained: [SQL] { usesSummary ? [Self.summaryJudged, sql] : [sql] }

    func statement(summaryJudged: Bool) -> SQL {
        let (sources, levels) = usesSummary && summaryJudged ? summarySources : baseTableSources
        return sources + """

            , lev AS (
            """ + levels + """
                )
            , c AS (
                -- Per level, key and kind, the records given feedback up to each number of days (for the medians),
                -- in one sort that the counts below share. The sort compares each key's hash first, an integer, and
                -- the names only when two hashes are equal (every year's lesson visits at 3 million records, 120,000
                -- rows: about 90 ms less than comparing names).
                SELECT lev.level, lev.key, lev.kind, lev.status, lev.days, lev.n, hashtext(lev.key) AS hash,
                       sum(lev.n) FILTER (WHERE lev.days IS NOT NULL)
                           OVER (PARTITION BY hashtext(lev.key), lev.level, lev.key, lev.kind ORDER BY lev.days) AS upto,
                       sum(lev.n) FILTER (WHERE lev.days IS NOT NULL)
                           OVER (PARTITION BY hashtext(lev.key), lev.level, lev.key, lev.kind) AS total
                  FROM lev)
            , tot AS (
                SELECT c.level, c.key, sum(c.n) FILTER (WHERE c.kind = 'verbal')::bigint AS records,
            """ + counts("verbal") + ",\n" + counts("written") + ",\n" + median("verbal") + ",\n" + median("written") + """

                  FROM c GROUP BY c.hash, c.level, c.key)
            SELECT tot.*, CASE tot.level WHEN 'school' THEN (SELECT name FROM qa.school WHERE school_id = tot.key::integer)
                                         ELSE tot.key END AS name
              FROM tot
             ORDER BY tot.level DESC, name
            """
    }

    /// The working days allowed for the kind of feedback of the row `k` (policy 7.1 and 7.2).
    private var deadline: SQL {
        let verbal = FeedbackDeadline.verbalWorkingDays, written = FeedbackDeadline.writtenWorkingDays
        return "CASE WHEN k.kind = 'verbal' THEN \(verbal)::integer ELSE \(written)::integer END"
    }

    /// The working-day index of the day asked about, as `t`.
    private var dayIndex: SQL { "t AS (SELECT idx FROM qa.working_day WHERE day = \(today.iso)::date)" }

    /// The CTEs and `lev`'s rows when the summary answers.
    private var summarySources: (SQL, SQL) {
        // The levels from the summary a load keeps (SQL/009), which has every field the filter needs
        // (activity_idx is NULL once overdue as of the summary's day), with the corrections for an earlier day.
        // Observers' names only where they may be shown: an analyst may not read that column.
        let status: SQL = """
            CASE WHEN k.days IS NOT NULL THEN CASE WHEN k.days <= \(deadline) THEN 'on_time' ELSE 'late' END
                 WHEN k.activity_idx IS NULL OR (SELECT idx FROM t) - k.activity_idx > \(deadline) THEN 'missing'
                 ELSE 'pending' END
            """
        let observer: SQL = namesVisible ? "k.observer" : "NULL::text AS observer"
        // A summary's row has the cohort or year group as a column, as a rating summary's (the `.rating` level).
        var rows: SQL = "(SELECT k.school_id, " + observer + ", k.kind, k.days, k.activity_idx, k.n FROM "
            + SQL(verbatim: (summary ?? .terms).rawValue + " k")
            + filter.withoutDates.whereClause("k", level: .rating, and: inWholeTerms("k"))
            + "\n UNION ALL\n SELECT * FROM corrections"
        let endTerms = termRange?.endTermFilters(filter) ?? []
        for (conditions, inTerm) in endTerms {
            rows = rows + "\n UNION ALL\n " + endTermRows(conditions, inTerm)
        }
        guard !endTerms.isEmpty, namesVisible else {
            return ("WITH " + dayIndex + corrections, levelRows(from: rows + ") k", status: status))
        }
        // Records read from the base tables are read once for both levels, from a CTE (PostgreSQL keeps the rows of
        // one named twice): written into each level, they were read twice. At 3 million records, whole command: SEND
        // from October to mid-May 1.72 -> 1.11 s, year 7 from 15 February to 14 May 1.36 -> 0.78 s, everything since
        // 15 January 2024 3.7 -> 2.8 s. (Without end terms the levels read the summary, and stay free to do so in
        // parallel.)
        return ("WITH " + dayIndex + corrections + "\n, src AS " + rows + ")",
                levelRows(from: "src k", status: status))
    }

    /// The records of an end year's term that is not whole (`TermRange.endTermFilters`) in the summary's columns:
    /// grouped first as the base tables' statement groups them (records alike in school, observer and days taken
    /// are one row; the activity's working day kept only while some feedback is missing and not yet overdue for the
    /// longer deadline on the day asked about, NULL once it is, as in the summary), then one row per kind of feedback,
    /// which the summary's status judges. One row per record and kind instead was 860,000 rows for October to
    /// mid-May at 3 million records, 2.6 s to group in the levels.
    private func endTermRows(_ conditions: [SQL], _ filter: Filter) -> SQL {
        let longest = max(FeedbackDeadline.verbalWorkingDays, FeedbackDeadline.writtenWorkingDays)
        return "SELECT g.school_id, g.observer, k.kind, k.days, CASE WHEN k.days IS NULL THEN g.activity_idx END, g.n"
            + " FROM (SELECT x.school_id, x.observer, wv.idx - wa.idx AS verbal_days, ww.idx - wa.idx AS written_days,"
            + " CASE WHEN (wv.idx IS NULL OR ww.idx IS NULL) AND (SELECT idx FROM t) - wa.idx <= \(longest)::integer"
            + " THEN wa.idx END AS activity_idx, count(*)::integer AS n" + recordsWithWorkingDays
            + filter.whereClause(level: .evidence, and: conditions) + " GROUP BY 1, 2, 3, 4, 5) g"
            + "\n CROSS JOIN LATERAL (VALUES ('verbal', g.verbal_days), ('written', g.written_days)) AS k(kind, days)"
    }

    /// The CTEs and `lev`'s rows over the base tables.
    private var baseTableSources: (SQL, SQL) {
        let verbal = FeedbackDeadline.verbalWorkingDays, written = FeedbackDeadline.writtenWorkingDays
        // Working days come from qa.working_day (SQL/007): idx(feedback) - idx(activity).
        let sources: SQL = "WITH r AS (SELECT x.school_id, x.observer, wa.idx AS activity_idx,"
            + " wv.idx - wa.idx AS verbal_days, ww.idx - wa.idx AS written_days"
            + recordsWithWorkingDays + filter.whereClause(level: .evidence) + ")\n, " + dayIndex + """

            , g AS (
                -- Records with the same school, observer and days taken are alike: counted once here, in one
                -- pass. Working days since the activity matter only while feedback is missing, and only up to
                -- the longest deadline, so they are kept only then, and capped.
                SELECT r.school_id, r.observer, r.verbal_days, r.written_days,
                       CASE WHEN r.verbal_days IS NULL OR r.written_days IS NULL
                            THEN least(greatest((SELECT idx FROM t) - r.activity_idx, 0), \(max(verbal, written) + 1)::integer)
                       END AS elapsed,
                       count(*) AS n
                  FROM r GROUP BY 1, 2, 3, 4, 5)
            , h AS (
                -- Each group twice (verbal, written) with its status, per value of the days taken: the medians
                -- come from these few rows instead of a sort of every record.
                SELECT g.school_id, g.observer, k.kind,
                       CASE WHEN k.days IS NOT NULL THEN CASE WHEN k.days <= \(deadline) THEN 'on_time' ELSE 'late' END
                            WHEN g.elapsed > \(deadline) THEN 'missing'
                            ELSE 'pending' END AS status,
                       k.days, g.n
                  FROM g
                  CROSS JOIN LATERAL (VALUES ('verbal', g.verbal_days), ('written', g.written_days)) AS k(kind, days))
            """
        return (sources, levelRows(from: "h k", status: "k.status"))
    }

    /// The records (`x`) with the working days (SQL/007) of their activity (`wa`) and feedback (`wv`, `ww`).
    private var recordsWithWorkingDays: SQL {
        " FROM " + evidenceSource(observer: namesVisible) + """

             JOIN qa.working_day wa ON wa.day = x.activity_date
             LEFT JOIN qa.working_day wv ON wv.day = x.verbal_feedback_date
             LEFT JOIN qa.working_day ww ON ww.day = x.written_feedback_date
            """
    }

    /// For a day before the summary's as_of (SQL/009), the records whose feedback is missing and that the summary
    /// counts as overdue on its day but were not yet overdue on this one: taken out of the summary's overdue rows
    /// (n -1) and put back as pending (n +1). Nothing is read for a day on or after as_of. Only the records of the
    /// last 10 working days before the day, and after it, can be such records, and they come from two places:
    ///
    /// - Terms that began after the day (those not in `early`, the terms of the days from the first record's to
    ///   the day asked about, by `qa.term_of`; so all their records are dated after it): all their missing feedback
    ///   was pending then, so the summary's overdue rows of those terms are moved whole. Two and a half years back
    ///   at 3 million records, the records missing feedback were 590,000, read one by one (2.3-3.7 s), where the
    ///   summary has a few rows per observer and term.
    /// - The other terms' records from 10 working days before the day until the last day of those terms (`bound`),
    ///   read by the index on the records missing feedback (SQL/018) and put back with their activity's working
    ///   day, which the summary's status judges.
    ///
    /// Terms are compared by the days `qa.term_of` gives them, never by their order, so term dates in any order give
    /// the same answer as the base tables.
    private var corrections: SQL {
        let longest = max(FeedbackDeadline.verbalWorkingDays, FeedbackDeadline.writtenWorkingDays)
        let needed: [SQL] = ["(SELECT as_of FROM qa.feedback_summary_state) > \(today.iso)::date"]
        let observer: SQL = namesVisible ? "k.observer" : "NULL::text"
        // Every day from the first record's to the last's, with its academic year and term.
        return "\n, days AS (SELECT g.day, qa.academic_year_of(g.day) AS academic_year, qa.term_of(g.day) AS term"
            + " FROM (SELECT min(e.activity_date) AS first, max(e.activity_date) AS last FROM qa.evidence e"
            + " WHERE e.withdrawn_at IS NULL) r CROSS JOIN LATERAL (SELECT r.first + i AS day FROM generate_series(0, r.last - r.first) AS i) g"
            + " WHERE " + SQL.joined(needed, separator: " AND ") + ")"
            + "\n, early AS (SELECT DISTINCT d.academic_year, d.term FROM days d WHERE d.day <= \(today.iso)::date)"
            + "\n, bound AS (SELECT coalesce(max(d.day), \(today.iso)::date) + 1 AS day FROM days d JOIN early USING (academic_year, term)"
            + " WHERE d.day > \(today.iso)::date)"
            + "\n, corrections AS (SELECT x.school_id, x.observer, k.kind, NULL::integer AS days,"
            + " CASE WHEN s.n > 0 THEN wa.idx END AS activity_idx, s.n" + recordsWithWorkingDays + """

                CROSS JOIN LATERAL (VALUES ('verbal', wv.idx), ('written', ww.idx)) AS k(kind, given)
                CROSS JOIN (VALUES (-1), (1)) AS s(n)
            """
            + filter.withoutDates.whereClause(level: .evidence, and: needed + inWholeTerms("x") + [
                "x.activity_date >= (SELECT min(w.day) FROM qa.working_day w WHERE w.idx >= (SELECT idx FROM t) - \(longest)::integer)",
                "x.activity_date < (SELECT day FROM bound)",
                "EXISTS (SELECT 1 FROM early WHERE early.academic_year = x.academic_year AND early.term = x.term)",
                "(x.verbal_feedback_date IS NULL OR x.written_feedback_date IS NULL)", "k.given IS NULL",
                "(SELECT w.idx FROM qa.working_day w, qa.feedback_summary_state f WHERE w.day = f.as_of) - wa.idx > " + deadline,
                "(SELECT idx FROM t) - wa.idx <= " + deadline,
            ])
            + "\n UNION ALL\n SELECT k.school_id, " + observer + ", k.kind, NULL::integer,"
            + " CASE WHEN s.n > 0 THEN (SELECT idx FROM t) END, s.n * k.n FROM " + SQL(verbatim: (summary ?? .terms).withTerms.rawValue)
            + " k CROSS JOIN (VALUES (-1), (1)) AS s(n)"
            + filter.withoutDates.whereClause("k", level: .rating, and: needed + inWholeTerms("k") + [
                "k.days IS NULL", "k.activity_idx IS NULL",
                "NOT EXISTS (SELECT 1 FROM early WHERE early.academic_year = k.academic_year AND early.term = k.term)",
            ]) + ")"
    }

    /// Rows of `lev` from one source aliased `k` (school_id, observer, kind, days, n): per school and, when
    /// observers' names may be shown, per observer, each by kind of feedback, status and days taken.
    private func levelRows(from source: SQL, status: SQL) -> SQL {
        var sql: SQL = "SELECT 'school' AS level, k.school_id::text AS key, k.kind, " + status
            + " AS status, k.days, sum(k.n) AS n FROM " + source + " GROUP BY k.school_id, k.kind, 4, k.days"
        if namesVisible {
            sql = sql + "\nUNION ALL\nSELECT 'observer', coalesce(k.observer, 'unspecified'), k.kind, " + status
                + ", k.days, sum(k.n) FROM " + source + " GROUP BY coalesce(k.observer, 'unspecified'), k.kind, 4, k.days"
        }
        return sql
    }

    /// Per kind of feedback: the number of records in each status.
    private func counts(_ kind: String) -> SQL {
        SQL(verbatim: """
                       coalesce(sum(c.n) FILTER (WHERE c.kind = '\(kind)' AND c.status = 'on_time'), 0)::bigint AS \(kind)_on_time,
                       coalesce(sum(c.n) FILTER (WHERE c.kind = '\(kind)' AND c.status = 'late'), 0)::bigint AS \(kind)_late,
                       coalesce(sum(c.n) FILTER (WHERE c.kind = '\(kind)' AND c.status = 'missing'), 0)::bigint AS \(kind)_missing,
                       coalesce(sum(c.n) FILTER (WHERE c.kind = '\(kind)' AND c.status = 'pending'), 0)::bigint AS \(kind)_pending
            """)
    }

    /// Per kind of feedback: the median working days to the feedback given, as percentile_cont(0.5) gives it: the
    /// mean of the values at sorted positions floor((N-1)/2) and ceil((N-1)/2), counting from 0.
    private func median(_ kind: String) -> SQL {
        SQL(verbatim: """
                       ((min(c.days) FILTER (WHERE c.kind = '\(kind)' AND c.upto > floor((c.total - 1) / 2.0))
                         + min(c.days) FILTER (WHERE c.kind = '\(kind)' AND c.upto > ceil((c.total - 1) / 2.0))) / 2.0)::float8
                           AS \(kind)_median_days
            """)
    }

    public func run(on connection: Connection) throws -> [FeedbackRow] {
        let judged: Bool = usesSummary ? try connection.query(Self.summaryJudged).single().decode("judged") : false
        return try connection.query(statement(summaryJudged: judged)).rows.map { row in
            func kind(_ k: String) throws -> FeedbackCounts {
                FeedbackCounts(
                    onTime: try row.decode("\(k)_on_time"), late: try row.decode("\(k)_late"),
                    missing: try row.decode("\(k)_missing"), pending: try row.decode("\(k)_pending"),
                    medianDays: try row.decode("\(k)_median_days"))
            }
            return FeedbackRow(
                level: try row.decode("level"), name: try row.decode("name"), records: try row.decode("records"),
                verbal: try kind("verbal"), written: try kind("written"))
        }
    }

    public func table(_ rows: [FeedbackRow]) -> ResultTable {
        var columns = ["level", "name", "records"].map { Column($0) }
        for k in ["verbal", "written"] {
            columns += [
                Column("\(k)_on_time", rating: .green), Column("\(k)_late", rating: .amber),
                Column("\(k)_missing", rating: .red), Column("\(k)_pending"), Column("\(k)_median_days"),
            ]
        }
        return ResultTable(columns: columns, rows: rows.map { r in
            var cells: [Value] = [.text(r.level), .text(r.name), .integer(r.records)]
            for c in [r.verbal, r.written] {
                cells += [.integer(c.onTime), .integer(c.late), .integer(c.missing), .integer(c.pending)]
                cells.append(c.medianDays.map { .decimal($0, places: 1) } ?? .null)
            }
            return cells
        })
    }
}

/// The feedback summaries `query feedback` reads (table names from this closed list only).
public enum FeedbackSummary: String, Sendable {
    /// qa.feedback_summary (SQL/009): by school, observer, academic year and term.
    case terms = "qa.feedback_summary"
    /// qa.feedback_overall_summary (SQL/009): the same over every year.
    case overall = "qa.feedback_overall_summary"
    /// qa.feedback_cohort_summary (SQL/026): the terms' grain under each cohort.
    case cohorts = "qa.feedback_cohort_summary"
    /// qa.feedback_year_group_summary (SQL/026): the terms' grain under each year group.
    case yearGroups = "qa.feedback_year_group_summary"
    /// qa.feedback_activity_summary (SQL/029): the terms' grain under each record's activity.
    case activities = "qa.feedback_activity_summary"
    /// qa.feedback_activity_overall_summary (SQL/030): the same over every year.
    case activitiesOverall = "qa.feedback_activity_overall_summary"
    /// qa.feedback_subject_summary (SQL/030): the terms' grain under each record's subject.
    case subjects = "qa.feedback_subject_summary"
    /// qa.feedback_subject_overall_summary (SQL/030): the same over every year.
    case subjectsOverall = "qa.feedback_subject_overall_summary"

    /// The summary by year and term holding the same rows, which corrections for an earlier day read.
    public var withTerms: FeedbackSummary {
        switch self {
        case .overall: .terms
        case .activitiesOverall: .activities
        case .subjectsOverall: .subjects
        case .terms, .cohorts, .yearGroups, .activities, .subjects: self
        }
    }
}

/// Feedback timeliness of one school or one observer.
public struct FeedbackRow: Sendable, Equatable, Codable {
    /// `school` or `observer`.
    public var level: String
    public var name: String
    public var records: Int
    public var verbal, written: FeedbackCounts

    public init(level: String, name: String, records: Int, verbal: FeedbackCounts, written: FeedbackCounts) {
        self.level = level
        self.name = name
        self.records = records
        self.verbal = verbal
        self.written = written
    }
}

public struct FeedbackCounts: Sendable, Equatable, Codable {
    public var onTime, late: Int
    /// No feedback recorded and the deadline has passed.
    public var missing: Int
    /// No feedback recorded yet, still within the deadline.
    public var pending: Int
    /// Median working days to the feedback given; nil when none was.
    public var medianDays: Double?

    public init(onTime: Int, late: Int, missing: Int, pending: Int, medianDays: Double?) {
        self.onTime = onTime
        self.late = late
        self.missing = missing
        self.pending = pending
        self.medianDays = medianDays
    }
}
