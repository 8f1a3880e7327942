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

    var staffName: SQL {
        namesVisible
            ? "(SELECT coalesce(name, external_id) FROM qa.staff WHERE staff_id = g.staff_id)"
            : "qa.staff_pseudonym(g.staff_id)"
    }

    /// Read from the rating summaries, so the answer takes milliseconds at millions of ratings; a record
    /// with no ratings at all therefore does not count as coverage.
    public var sql: SQL {
        // The school and subject filters restrict the schools and subjects looked at, or the rows looked for.
        let school = Filter(school: filter.school), subject = Filter(subject: filter.subject)
        let staffScope = Filter(school: filter.school, subject: filter.subject, staff: filter.staff)
        // The staff rated this year: from the staff summary by term (SQL/011, a few rows per staff member), which
        // has no subject; with a subject filter, from the summary that has it.
        let ratedStaff: SQL = filter.subject == nil ? "qa.rating_staff_term_summary x" : "qa.rating_staff_summary x"
        return """
            -- Each gap is looked up where it would be (the indexes of SQL/024 and the summaries' keys) rather than
            -- found by grouping whole summaries: per school and subject, per staff member, per subject and standard.
            WITH p AS (
                SELECT coalesce(\(filter.academicYear?.startYear)::smallint, qa.academic_year_of(\(today.iso)::date)) AS year,
                       coalesce(\(filter.term?.rawValue)::text, qa.term_of(\(today.iso)::date)) AS term),
            gaps AS (
                SELECT 1 AS kind, sc.school_id, su.subject_id, NULL::integer AS staff_id, NULL::smallint AS standard
                  FROM qa.school sc CROSS JOIN qa.subject su
                \(school.whereClause("sc", and: subject.conditions("su") + [
                    """
                    EXISTS (SELECT 1 FROM qa.rating_summary x
                             WHERE x.school_id = sc.school_id AND x.subject_id = su.subject_id
                               AND x.academic_year <= (SELECT year FROM p))
                    """,
                    """
                    NOT EXISTS (SELECT 1 FROM qa.rating_summary x
                                 WHERE x.school_id = sc.school_id AND x.subject_id = su.subject_id
                                   AND x.activity = 'deep_dive' AND x.academic_year = (SELECT year FROM p))
                    """,
                ]))
                UNION ALL
                SELECT 2, (SELECT school_id FROM qa.staff WHERE staff_id = st.staff_id), NULL, st.staff_id, NULL
                  FROM (SELECT DISTINCT x.staff_id FROM \(ratedStaff)
                        \(staffScope.whereClause(and: ["x.staff_id IS NOT NULL AND x.academic_year = (SELECT year FROM p)"]))) st
                 WHERE NOT EXISTS (SELECT 1 FROM qa.rating_staff_summary x
                                   \(staffScope.whereClause(and: [
                                       "x.staff_id = st.staff_id", "x.activity = 'lesson_visit'",
                                       "x.academic_year = (SELECT year FROM p)", "x.term = (SELECT term FROM p)",
                                   ])))
                UNION ALL
                SELECT 3, NULL, su.subject_id, NULL, sd.number
                  FROM qa.subject su CROSS JOIN qa.standard sd
                \(subject.whereClause("su", and: [
                    "EXISTS (SELECT 1 FROM qa.rating_summary x" + school.whereClause(and: ["x.subject_id = su.subject_id"]) + ")",
                    "NOT EXISTS (SELECT 1 FROM qa.rating_summary x"
                        + school.whereClause(and: ["x.subject_id = su.subject_id", "x.standard = sd.number"]) + ")",
                ])))
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
