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

    public init(filter: Filter = Filter(), today: CalendarDate = .today(), namesVisible: Bool = true) {
        self.filter = filter
        self.today = today
        self.namesVisible = namesVisible
    }

    public var sql: SQL {
        let verbal = FeedbackDeadline.verbalWorkingDays, written = FeedbackDeadline.writtenWorkingDays
        let today = SQL("\(today.iso)::date")
        func status(_ days: String, _ limit: Int) -> SQL {
            let d = SQL(verbatim: days)
            return """
                CASE WHEN \(d) IS NOT NULL THEN CASE WHEN \(d) <= \(limit) THEN 'on_time' ELSE 'late' END
                     WHEN f.elapsed > \(limit) THEN 'missing' ELSE 'pending' END
                """
        }
        func counts(_ kind: String) -> SQL {
            SQL(verbatim: """
                count(*) FILTER (WHERE \(kind) = 'on_time') AS \(kind)_on_time,
                count(*) FILTER (WHERE \(kind) = 'late') AS \(kind)_late,
                count(*) FILTER (WHERE \(kind) = 'missing') AS \(kind)_missing,
                count(*) FILTER (WHERE \(kind) = 'pending') AS \(kind)_pending,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY \(kind)_days) AS \(kind)_median_days
                """)
        }
        return "WITH r AS (SELECT x.school_id, x.observer, x.activity_date, x.verbal_feedback_date, x.written_feedback_date"
            + " FROM " + evidenceSource(observer: namesVisible) + filter.whereClause(level: .evidence) + ")"
            // Working-day index of every day in range: the days between two dates is a difference of indexes.
            + """
            , cal AS (
                SELECT g.day::date AS day,
                       sum(CASE WHEN extract(isodow FROM g.day) < 6
                                 AND NOT EXISTS (SELECT 1 FROM qa.closure_day c WHERE c.day = g.day::date)
                                THEN 1 ELSE 0 END) OVER (ORDER BY g.day) AS idx
                  FROM generate_series(
                        (SELECT least(min(activity_date), \(today)) FROM r),
                        (SELECT greatest(max(greatest(activity_date, verbal_feedback_date, written_feedback_date)), \(today)) FROM r),
                        interval '1 day') AS g(day))
            , f AS (
                SELECT r.school_id, r.observer,
                       cv.idx - ca.idx AS verbal_days, cw.idx - ca.idx AS written_days,
                       greatest(ct.idx - ca.idx, 0) AS elapsed
                  FROM r
                  JOIN cal ca ON ca.day = r.activity_date
                  JOIN cal ct ON ct.day = \(today)
                  LEFT JOIN cal cv ON cv.day = r.verbal_feedback_date
                  LEFT JOIN cal cw ON cw.day = r.written_feedback_date)
            , s AS (
                SELECT f.*, \(status("f.verbal_days", verbal)) AS verbal, \(status("f.written_days", written)) AS written
                  FROM f)
            SELECT 'school' AS level, (SELECT name FROM qa.school WHERE school_id = s.school_id) AS name,
                   count(*) AS records, \(counts("verbal")), \(counts("written"))
              FROM s GROUP BY s.school_id
            """ + (namesVisible ? "\n" + """
            UNION ALL
            SELECT 'observer', coalesce(s.observer, 'unspecified'),
                   count(*), \(counts("verbal")), \(counts("written"))
              FROM s GROUP BY s.observer
            """ : "") + "\n" + """
            ORDER BY level DESC, name
            """
    }

    public func run(on connection: Connection) throws -> [FeedbackRow] {
        try connection.query(sql).rows.map { row in
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
