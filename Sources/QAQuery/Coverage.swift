import Postgres
import QACore

/// `query coverage`: gaps in QA.
/// - `no_deep_dive`: a subject with evidence at a school (this year or before) but no deep dive this academic year;
/// - `no_lesson_visit`: a staff member rated this academic year with no lesson visit this term;
/// - `standard_never_evidenced`: a standard no record of a subject has ever rated.
/// "This" year and term come from `today` (the trust's term dates where loaded) unless the filter names them.
/// Only the school, subject and staff filters apply: gaps are about what is absent.
public struct Coverage: Sendable {
    public var filter: Filter
    public var today: CalendarDate

    public init(filter: Filter = Filter(), today: CalendarDate = .today()) {
        self.filter = filter
        self.today = today
    }

    public var sql: SQL {
        let scope = Filter(school: filter.school, subject: filter.subject)
        let staffOnly: SQL = filter.staff.map { "AND st.staff_id IN (\(Filter.staffIDs($0)))" } ?? ""
        return """
            WITH p AS (
                SELECT coalesce(\(filter.academicYear?.startYear)::smallint, qa.academic_year_of(\(today.iso)::date)) AS year,
                       coalesce(\(filter.term?.rawValue)::text, qa.term_of(\(today.iso)::date)) AS term),
            ev AS (SELECT x.* FROM \(evidenceSource)\(scope.whereClause(level: .evidence))),
            gaps AS (
                SELECT 1 AS kind, s.school_id, s.subject_id, NULL::integer AS staff_id, NULL::smallint AS standard
                  FROM (SELECT DISTINCT ev.school_id, ev.subject_id FROM ev, p
                         WHERE ev.subject_id IS NOT NULL AND ev.academic_year <= p.year) s
                 WHERE NOT EXISTS (SELECT 1 FROM ev, p
                                    WHERE ev.school_id = s.school_id AND ev.subject_id = s.subject_id
                                      AND ev.activity = 'deep_dive' AND ev.academic_year = p.year)
                UNION ALL
                SELECT 2, (SELECT school_id FROM qa.staff WHERE staff_id = st.staff_id), NULL, st.staff_id, NULL
                  FROM (SELECT DISTINCT ev.staff_id FROM ev, p
                         WHERE ev.staff_id IS NOT NULL AND ev.academic_year = p.year) st
                 WHERE NOT EXISTS (SELECT 1 FROM ev, p
                                    WHERE ev.staff_id = st.staff_id AND ev.activity = 'lesson_visit'
                                      AND ev.academic_year = p.year AND ev.term = p.term) \(staffOnly)
                UNION ALL
                SELECT 3, NULL, su.subject_id, NULL, sd.number
                  FROM (SELECT DISTINCT ev.subject_id FROM ev WHERE ev.subject_id IS NOT NULL) su
                 CROSS JOIN qa.standard sd
                 WHERE NOT EXISTS (SELECT 1 FROM ev JOIN qa.rating r ON r.evidence_pk = ev.evidence_pk
                                    WHERE ev.subject_id = su.subject_id AND r.standard = sd.number))
            SELECT (ARRAY['no_deep_dive', 'no_lesson_visit', 'standard_never_evidenced'])[g.kind] AS gap,
                   (SELECT name FROM qa.school WHERE school_id = g.school_id) AS school,
                   (SELECT name FROM qa.subject WHERE subject_id = g.subject_id) AS subject,
                   (SELECT coalesce(name, external_id) FROM qa.staff WHERE staff_id = g.staff_id) AS staff,
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
}
