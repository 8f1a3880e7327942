import Postgres
import QACore

/// `query triangulation` (policy 6.8): for each deep dive, and for each subject in a school and term
/// outside deep dives, per standard the rating from each activity type side by side, and whether they
/// agree (all within one RAGG* step), are mixed, or conflict (Red beside Green or Gold).
/// Only standards rated by at least two activity types are shown: one source cannot be triangulated.
public struct Triangulation: Sendable {
    public var filter: Filter
    public var preference: CountSource.Preference

    public init(filter: Filter = Filter(), preference: CountSource.Preference = .automatic) {
        self.filter = filter
        self.preference = preference
    }

    /// The fields the triangulation summary (SQL/010) carries; activities are its columns.
    static let summaryFields: Set<Field> = [.school, .subject, .standard, .academicYear, .term, .activity]

    /// Whether a table the loads keep answers (the year table, the triangulation summary, its months, or the
    /// cohorts' or year groups' table), not every rating.
    public var usesSummary: Bool { source != .baseTables }

    /// One row per group and standard (`m`): the group is a deep dive, or a school, subject, year and term
    /// outside deep dives; with its first term (10 x year + term order) and the ratings its activities gave
    /// (`ratings`, as `TriangulationRatings` bits).
    var groups: SQL {
        let head: SQL = "m (deep_dive_id, school_id, subject_id, group_year, group_term, standard, first_term, ratings)"
        let groupYearAndTerm: SQL = """
            CASE WHEN x.deep_dive_id IS NULL THEN x.academic_year END,
                   CASE WHEN x.deep_dive_id IS NULL THEN x.term END
            """
        // From a table the loads keep, an activity filter keeps that activity's ratings only (and so leaves nothing
        // to compare, as over the base tables); the other filters are row conditions.
        var rowFilter = filter
        let activity = filter.activity.map { [$0.code] as Set<String> }
        rowFilter.activity = nil
        if case .months(let months) = source {
            // Grouped as over the base tables (a month's rows are not one group). The filter is applied inside the
            // months and end days.
            let select: SQL = head + " AS (SELECT x.deep_dive_id, x.school_id, x.subject_id, " + groupYearAndTerm
            return select + ", x.standard, min(x.academic_year * 10 + qa.term_order(x.term)), bit_or(x.ratings) FROM "
                + Self.monthsAndEndDays(months, rowFilter, activity: filter.activity?.code) + " GROUP BY 1, 2, 3, 4, 5, 6)"
        }
        // Each table keeps the ratings given as bits (the summary, SQL/010, beside its counts since SQL/036; the
        // cohort and year-group tables, SQL/025, instead of counts).
        let name: SQL? = switch source {
        case .summary: "qa.triangulation_summary"
        case .cohorts: "qa.triangulation_cohort_summary"
        case .yearGroups: "qa.triangulation_year_group_summary"
        case .year, .months, .baseTables: nil
        }
        if let name {
            let table = (name: name, bits: TriangulationRatings.bits(column: "x.ratings", of: activity))
            let select: SQL = " AS (SELECT x.deep_dive_id, x.school_id, x.subject_id, " + groupYearAndTerm
            let rows: SQL = select + ", x.standard, x.academic_year * 10 + qa.term_order(x.term), " + table.bits
                + " FROM " + table.name + " x"
            // Within one term every summary row is already one group and standard. Over several terms a deep
            // dive's rows of different terms are or'ed; other rows are still one group and standard each.
            if oneTerm {
                return head + rows + rowFilter.whereClause("x") + ")"
            }
            let deepDives: SQL = "\n UNION ALL\n SELECT x.deep_dive_id, x.school_id, x.subject_id, NULL, NULL, x.standard,"
                + " min(x.academic_year * 10 + qa.term_order(x.term)), bit_or(" + table.bits + ") FROM " + table.name + " x"
            return head + rows + rowFilter.whereClause("x", and: ["x.deep_dive_id IS NULL"]) + deepDives
                + rowFilter.whereClause("x", and: ["x.deep_dive_id IS NOT NULL"])
                + " GROUP BY x.deep_dive_id, x.school_id, x.subject_id, x.standard)"
        }
        // Over the base tables the records are read first, filtered as records (a cohort or year group by the
        // record's arrays, without a row per cohort: a rating counted twice would change no group's ratings), and
        // what each record gives every one of its ratings is worked out once per record (OFFSET 0 keeps it there):
        // the group's term as one number (group_year is left NULL), the record's term, and its activity's place
        // among the bits (`TriangulationRatings.place`). Its ratings are then looked up by the rating
        // table's key. At 3 million records, a year for the SEND cohort: 1.02-1.09 s in PostgreSQL with every
        // rating's bit and group worked out after the join, 0.78-0.95 s this way.
        let (records, ratings) = filter.recordsThenRatings
        let select: SQL = head + """
             AS (SELECT x.deep_dive_id, x.school_id, x.subject_id, NULL::smallint, x.group_term, r.standard, min(x.first_term),
                   bit_or(\(TriangulationRatings.bit(place: "x.place", rating: "r.rating")))
              FROM (SELECT x.evidence_pk, x.deep_dive_id, x.school_id, x.subject_id,
                           \(TriangulationRatings.place(activity: "x.activity")) AS place,
                           x.academic_year * 10 + qa.term_order(x.term) AS first_term,
                           CASE WHEN x.deep_dive_id IS NULL THEN x.academic_year * 10 + qa.term_order(x.term) END AS group_term
                      FROM
            """
        return select + " " + evidenceSource(observer: false) + records.whereClause(level: .evidence) + " OFFSET 0) x"
            + " CROSS JOIN LATERAL (SELECT r.standard, r.rating FROM qa.rating r WHERE " + ratings + ") r"
            + " GROUP BY 1, 2, 3, 5, 6)"
    }

    /// A question about one academic year and term (named, or the term containing a day): every group lies in
    /// that term.
    var oneTerm: Bool { (filter.academicYear != nil && filter.term != nil) || filter.termContaining != nil }

    public var sql: SQL {
        if source == .year { return yearSQL }
        let compared = " FROM m WHERE " + TriangulationRatings.compared("m.ratings")
        // A group's term is the first of its rows' terms; within one term it is that term, and the query needs
        // no more (which also left it free to run in parallel: one term at 3 million records 0.44 -> 0.31 s).
        // Over several terms only a deep dive's rows can differ: their first term is looked up by hashing, where a
        // window over every row sorted them all (three months at 3 million records, 40-90 ms less).
        let rows: SQL = oneTerm ? "b AS (SELECT m.*, m.first_term AS group_first_term" + compared + ")" : """
            k AS (SELECT m.*\(compared)),
            d AS (SELECT k.deep_dive_id, k.school_id, coalesce(k.subject_id, -1) AS subject_key, min(k.first_term) AS first_term
                    FROM k WHERE k.deep_dive_id IS NOT NULL GROUP BY 1, 2, 3),
            b AS (SELECT k.*, coalesce(d.first_term, k.first_term) AS group_first_term
                    FROM k LEFT JOIN d ON d.deep_dive_id = k.deep_dive_id AND d.school_id = k.school_id
                                      AND d.subject_key = coalesce(k.subject_id, -1))
            """
        return "WITH " + groups + ",\n" + rows + """

            SELECT b.deep_dive_id AS deep_dive,
            """
            + " " + Self.labels(firstTerm: "b.group_first_term") + ", b.standard, b.ratings"
            + """

              FROM b
              JOIN qa.school s ON s.school_id = b.school_id
              LEFT JOIN qa.subject su ON su.subject_id = b.subject_id
            """ + Self.order(firstTerm: "b.group_first_term")
    }

    /// The answer as rows: `table(on:)`'s table, read back (for the tests and callers that want the values).
    public func run(on connection: Connection) throws -> [TriangulationRow] {
        let table = try table(on: connection)
        let activities = table.columns.dropFirst(6).dropLast().map(\.name)
        func text(_ value: Value) -> String? {
            if case .text(let t) = value { return t }
            return nil
        }
        return table.rows.map { r in
            var standard = 0
            if case .integer(let n) = r[5] { standard = n }
            var ratings: [String: String] = [:]
            for (code, value) in zip(activities, r.dropFirst(6)) { ratings[code] = text(value) }
            return TriangulationRow(
                deepDive: text(r[0]), school: text(r[1]) ?? "", subject: text(r[2]) ?? "", academicYear: text(r[3]) ?? "",
                term: text(r[4]) ?? "", standard: standard, ratings: ratings, verdict: text(r[r.count - 1]) ?? "")
        }
    }

    /// "Green", or the range "Amber-Green" where an activity's records differ: made once for each pair.
    static let labels: [[String]] = Rating.allCases.map { low in
        Rating.allCases.map { high in low == high ? low.name : "\(low.name)-\(high.name)" }
    }

    /// One column per activity type that appears, in the policy's order.
    public func table(_ rows: [TriangulationRow]) -> ResultTable {
        let present = Activity.allCases.map(\.code).filter { code in rows.contains { $0.ratings[code] != nil } }
        return ResultTable(columns: Self.columns(present), rows: rows.map { r in
            [r.deepDive.map(Value.text) ?? .null, .text(r.school), .text(r.subject), .text(r.academicYear),
             .text(r.term), .integer(r.standard)]
                + present.map { r.ratings[$0].map(Value.text) ?? .null } + [.text(r.verdict)]
        })
    }

    /// `table(run(on:))`, read straight from the query's result: no `TriangulationRow` and dictionary per row,
    /// and each row's ratings read once as `TriangulationRatings` (at 3 million records a year is 214,000 rows,
    /// and building them was a quarter of the client's time).
    public func table(on connection: Connection) throws -> ResultTable {
        let result = try connection.query(sql)
        // Text columns read through `RepeatedText`: rows come sorted by school and subject, whose names repeat.
        var deepDive = RepeatedText(column: try result.position(of: "deep_dive")),
            school = RepeatedText(column: try result.position(of: "school")),
            subject = RepeatedText(column: try result.position(of: "subject")),
            year = RepeatedText(column: try result.position(of: "academic_year")),
            term = RepeatedText(column: try result.position(of: "term"))
        let standard = try result.position(of: "standard"), ratingsColumn = try result.position(of: "ratings")
        // A value that is NULL (or not a number) is the error `run(on:)` gives.
        func text(_ column: inout RepeatedText, _ row: Row) throws -> Value {
            .text(try column.text(in: row) ?? row.decode(at: column.column))
        }
        // An activity's column is shown when any row has its rating.
        var ratings: [TriangulationRatings] = []
        ratings.reserveCapacity(result.rowCount)
        var given = 0
        for r in 0..<result.rowCount {
            let row = result[r]
            let bits = try row.integer(at: ratingsColumn) ?? row.decode(at: ratingsColumn)
            ratings.append(TriangulationRatings(bits: bits))
            given |= bits
        }
        let shown = Activity.allCases.indices.filter { TriangulationRatings(bits: given).range(of: $0) != nil }
        let labels = Self.labels.map { $0.map(Value.text) }
        let verdicts = Dictionary(uniqueKeysWithValues: ["agree", "mixed", "conflict"].map { ($0, Value.text($0)) })
        var rows: [[Value]] = []
        rows.reserveCapacity(result.rowCount)
        for r in 0..<result.rowCount {
            let row = result[r]
            var values: [Value] = []
            values.reserveCapacity(7 + shown.count)
            values.append(deepDive.text(in: row).map(Value.text) ?? .null)
            values.append(try text(&school, row))
            values.append(try text(&subject, row))
            values.append(try text(&year, row))
            values.append(try text(&term, row))
            values.append(.integer(try row.integer(at: standard) ?? row.decode(at: standard)))
            for a in shown {
                let range = ratings[r].range(of: a)
                values.append(range.map { labels[$0.low.rawValue - 1][$0.high.rawValue - 1] } ?? .null)
            }
            let verdict = ratings[r].verdict
            values.append(verdicts[verdict] ?? .text(verdict))
            rows.append(values)
        }
        return ResultTable(columns: Self.columns(shown.map { Activity.allCases[$0].code }), rows: rows)
    }

    /// The group's columns, the present activities' and the verdict. The deep dive's id is `deep_dive_id` (as in
    /// the input files): `deep_dive` is the column of the ratings the deep dive activity gave, and two columns of
    /// one name made JSON objects with a repeated key, whose id most readers dropped.
    static func columns(_ activities: [String]) -> [Column] {
        ["deep_dive_id", "school", "subject", "academic_year", "term", "standard"].map { Column($0) }
            + activities.map { Column($0) } + [Column("verdict")]
    }
}

public struct TriangulationRow: Sendable, Equatable, Codable {
    public var deepDive: String?
    public var school, subject, academicYear, term: String
    public var standard: Int
    /// Activity code → the rating it gave ("Green"), or the range where several records of it differ ("Amber-Green").
    public var ratings: [String: String]
    /// agree, mixed or conflict.
    public var verdict: String

    public init(deepDive: String?, school: String, subject: String, academicYear: String, term: String, standard: Int, ratings: [String: String], verdict: String) {
        self.deepDive = deepDive
        self.school = school
        self.subject = subject
        self.academicYear = academicYear
        self.term = term
        self.standard = standard
        self.ratings = ratings
        self.verdict = verdict
    }
}
