import Postgres
import QACore

/// `query triangulation` (policy 6.8): for each deep dive, and for each subject in a school and term
/// outside deep dives, per standard the rating from each activity type side by side, and whether they
/// agree (all within one RAGG* step), are mixed, or conflict (Red beside Green or Gold).
/// Only standards rated by at least two activity types are shown: one source cannot be triangulated.
public struct Triangulation: Sendable {
    public var filter: Filter

    public init(filter: Filter = Filter()) { self.filter = filter }

    public var sql: SQL {
        let source = CountSource.base(cohorts: filter.cohort != nil, yearGroups: filter.yearGroup != nil)
        // Records of a deep dive form one group; others group by school, subject, year and term.
        // `a` is MATERIALIZED so it is planned on its own and hashed (a quarter of the rows it reads, one term
        // at a million records: 445,441 ratings, 103,425 groups); inlined, every rating was sorted instead
        // (one term: 1.28 -> 1.08 s at 1M records, 4.2 -> 4.0 s at 3M; same output).
        return """
            WITH a AS MATERIALIZED (
                SELECT x.deep_dive_id, x.school_id, x.subject_id,
                       CASE WHEN x.deep_dive_id IS NULL THEN x.academic_year END AS group_year,
                       CASE WHEN x.deep_dive_id IS NULL THEN x.term END AS group_term, x.standard, x.activity,
                       min(x.rating) AS low, max(x.rating) AS high, min(x.activity_date) AS first_day,
                       -- The year and term of the first record, from the stored terms (as 10 x year + term order):
                       -- looking the calendar up once per output row cost seconds at a million records.
                       min(x.academic_year * 10 + qa.term_order(x.term)) AS first_term
                  FROM \(source.from)\(filter.whereClause())
                 GROUP BY x.deep_dive_id, x.school_id, x.subject_id, group_year, group_term, x.standard, x.activity),
            b AS (
                SELECT a.deep_dive_id, a.school_id, a.subject_id, a.standard,
                       min(min(a.first_day)) OVER grp AS group_first_day,
                       min(min(a.first_term)) OVER grp AS group_first_term,
                       min(a.low) AS low, max(a.high) AS high,
                       array_agg(a.activity ORDER BY a.activity) AS activities,
                       array_agg(CASE WHEN a.low = a.high THEN initcap(a.low::text)
                                      ELSE initcap(a.low::text) || '-' || initcap(a.high::text) END
                                 ORDER BY a.activity) AS ratings
                  FROM a GROUP BY a.deep_dive_id, a.school_id, a.subject_id, a.group_year, a.group_term, a.standard
                HAVING count(*) >= 2
                WINDOW grp AS (PARTITION BY a.deep_dive_id, a.school_id, a.subject_id, a.group_year, a.group_term))
            SELECT b.deep_dive_id AS deep_dive, s.name AS school, coalesce(su.name, 'unspecified') AS subject,
                   qa.academic_year_label((b.group_first_term / 10)::smallint) AS academic_year,
                   (ARRAY['autumn', 'spring', 'summer'])[b.group_first_term % 10] AS term,
                   b.standard, b.activities, b.ratings,
                   CASE WHEN qa.ragg_score(b.high) - qa.ragg_score(b.low) <= 1 THEN 'agree'
                        WHEN b.low = 'red' THEN 'conflict' ELSE 'mixed' END AS verdict
              FROM b
              JOIN qa.school s ON s.school_id = b.school_id
              LEFT JOIN qa.subject su ON su.subject_id = b.subject_id
             ORDER BY school, subject, b.group_first_day, deep_dive NULLS LAST, b.standard
            """
    }

    public func run(on connection: Connection) throws -> [TriangulationRow] {
        try connection.query(sql).rows.map { row in
            let activities = PostgresArray.texts(try row.decode("activities"))
            let ratings = PostgresArray.texts(try row.decode("ratings"))
            return TriangulationRow(
                deepDive: try row.decode("deep_dive"), school: try row.decode("school"),
                subject: try row.decode("subject"), academicYear: try row.decode("academic_year"),
                term: try row.decode("term"), standard: try row.decode("standard"),
                ratings: Dictionary(uniqueKeysWithValues: zip(activities, ratings)),
                verdict: try row.decode("verdict"))
        }
    }

    /// One column per activity type that appears, in the policy's order.
    public func table(_ rows: [TriangulationRow]) -> ResultTable {
        let present = Activity.allCases.map(\.code).filter { code in rows.contains { $0.ratings[code] != nil } }
        let columns = ["deep_dive", "school", "subject", "academic_year", "term", "standard"].map { Column($0) }
            + present.map { Column($0) } + [Column("verdict")]
        return ResultTable(columns: columns, rows: rows.map { r in
            [r.deepDive.map(Value.text) ?? .null, .text(r.school), .text(r.subject), .text(r.academicYear),
             .text(r.term), .integer(r.standard)]
                + present.map { r.ratings[$0].map(Value.text) ?? .null } + [.text(r.verdict)]
        })
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
