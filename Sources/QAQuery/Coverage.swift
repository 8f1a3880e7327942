import Postgres
import QACore

/// `query coverage`: gaps in QA.
/// - `no_deep_dive`: a subject with evidence at a school (this year or before) but no deep dive this academic year;
/// - `no_lesson_visit`: a staff member rated this academic year with no lesson visit this term;
/// - `standard_never_evidenced`: a standard no record of a subject has ever rated.
/// "This" year and term come from `today` (the trust's term dates where loaded) unless the filter names them.
/// Only the school, subject and staff filters apply: gaps are about what is absent.
/// Coverage means rated evidence: a record that rates no standard does not close a gap.
public struct Coverage: Sendable {
    public var filter: Filter
    public var today: CalendarDate
    /// Whether staff names may be shown (see `StaffNameAccess`); otherwise a pseudonymised key such as S00042.
    public var namesVisible: Bool

    public init(filter: Filter = Filter(), today: CalendarDate = .today(), namesVisible: Bool = true) {
        self.filter = filter
        self.today = today
        self.namesVisible = namesVisible
    }

    /// Read from the rating summaries, so the answer takes milliseconds at millions of ratings; a record
    /// with no ratings at all therefore does not count as coverage.
    var staffName: SQL {
        namesVisible
            ? "(SELECT coalesce(name, external_id) FROM qa.staff WHERE staff_id = g.staff_id)"
            : "qa.staff_pseudonym(g.staff_id)"
    }

    public var sql: SQL {
        let scope = Filter(school: filter.school, subject: filter.subject)
        let staffScope = Filter(school: filter.school, subject: filter.subject, staff: filter.staff)
        return """
            -- The period comes in as scalar subqueries, not a join, so each summary is scanned by parallel workers;
            -- the standards a subject has are a bit mask (bit n: standard n), which hashes where an array would sort.
            WITH p AS (
                SELECT coalesce(\(filter.academicYear?.startYear)::smallint, qa.academic_year_of(\(today.iso)::date)) AS year,
                       coalesce(\(filter.term?.rawValue)::text, qa.term_of(\(today.iso)::date)) AS term),
            gaps AS (
                SELECT 1 AS kind, s.school_id, s.subject_id, NULL::integer AS staff_id, NULL::smallint AS standard
                  FROM (SELECT x.school_id, x.subject_id FROM qa.rating_summary x
                        \(scope.whereClause(and: ["x.subject_id IS NOT NULL AND x.academic_year <= (SELECT year FROM p)"]))
                         GROUP BY x.school_id, x.subject_id
                        HAVING NOT bool_or(x.activity = 'deep_dive' AND x.academic_year = (SELECT year FROM p))) s
                UNION ALL
                SELECT 2, (SELECT school_id FROM qa.staff WHERE staff_id = st.staff_id), NULL, st.staff_id, NULL
                  FROM (SELECT x.staff_id FROM qa.rating_staff_summary x
                        \(staffScope.whereClause(and: ["x.staff_id IS NOT NULL AND x.academic_year = (SELECT year FROM p)"]))
                         GROUP BY x.staff_id
                        HAVING NOT bool_or(x.activity = 'lesson_visit' AND x.term = (SELECT term FROM p))) st
                UNION ALL
                SELECT 3, NULL, su.subject_id, NULL, sd.number
                  FROM (SELECT x.subject_id, bit_or(1 << x.standard) AS rated FROM qa.rating_summary x
                        \(scope.whereClause(and: ["x.subject_id IS NOT NULL"]))
                         GROUP BY x.subject_id) su
                 CROSS JOIN qa.standard sd
                 WHERE (su.rated >> sd.number) & 1 = 0)
            SELECT (ARRAY['no_deep_dive', 'no_lesson_visit', 'standard_never_evidenced'])[g.kind] AS gap,
                   (SELECT name FROM qa.school WHERE school_id = g.school_id) AS school,
                   (SELECT name FROM qa.subject WHERE subject_id = g.subject_id) AS subject,
                   \(staffName) AS staff,
                   g.standard, qa.academic_year_label(p.year) AS academic_year,
                   CASE WHEN g.kind = 2 THEN p.term END AS term
              FROM gaps g, p
             ORDER BY g.kind, school, subject, staff, g.standard
            """
    }

    public func run(on connection: Connection) throws -> [CoverageGap] {
        try connection.query(sql).rows.map { row in
            CoverageGap(
                gap: try row.decode("gap"), school: try row.decode("school"), subject: try row.decode("subject"),
                staff: try row.decode("staff"), standard: try row.decode("standard"),
                academicYear: try row.decode("academic_year"), term: try row.decode("term"))
        }
    }

    public func table(_ gaps: [CoverageGap]) -> ResultTable {
        func opt(_ s: String?) -> Value { s.map(Value.text) ?? .null }
        return ResultTable(
            columns: ["gap", "school", "subject", "staff", "standard", "academic_year", "term"].map { Column($0) },
            rows: gaps.map { g in
                [.text(g.gap), opt(g.school), opt(g.subject), opt(g.staff), g.standard.map(Value.integer) ?? .null,
                 .text(g.academicYear), opt(g.term)]
            })
    }
}

public struct CoverageGap: Sendable, Equatable, Codable {
    /// no_deep_dive, no_lesson_visit or standard_never_evidenced.
    public var gap: String
    public var school, subject, staff: String?
    public var standard: Int?
    public var academicYear: String
    public var term: String?

    public init(gap: String, school: String?, subject: String?, staff: String?, standard: Int?, academicYear: String, term: String?) {
        self.gap = gap
        self.school = school
        self.subject = subject
        self.staff = staff
        self.standard = standard
        self.academicYear = academicYear
        self.term = term
    }
}
