import Postgres
import QACore

/// Which ratings a query looks at. Every field is optional and they combine with AND.
/// Names (school, subject, staff, cohort) match case-insensitively; `FilterCheck` reports a name that
/// matches nothing. Every value reaches PostgreSQL as a bound parameter.
public struct Filter: Sendable, Equatable {
    public var school: String?
    public var subject: String?
    public var cohort: String?
    public var yearGroup: YearGroupChoice?
    public var standard: Standard?
    public var activity: Activity?
    /// A staff member's name or the source system's staff id.
    public var staff: String?
    /// First and last activity dates, both included.
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var academicYear: AcademicYear?
    public var term: Term?
    /// The term (by the trust's term dates, else the default ones) that contains this day: the period
    /// `cpd-needs` and `triangulation` look at when given none.
    public var termContaining: CalendarDate?

    public init(
        school: String? = nil, subject: String? = nil, cohort: String? = nil, yearGroup: YearGroupChoice? = nil,
        standard: Standard? = nil, activity: Activity? = nil, staff: String? = nil,
        from: CalendarDate? = nil, to: CalendarDate? = nil, academicYear: AcademicYear? = nil, term: Term? = nil,
        termContaining: CalendarDate? = nil
    ) {
        self.school = school
        self.subject = subject
        self.cohort = cohort
        self.yearGroup = yearGroup
        self.standard = standard
        self.activity = activity
        self.staff = staff
        self.from = from
        self.to = to
        self.academicYear = academicYear
        self.term = term
        self.termContaining = termContaining
    }

    /// Whether any option narrows the records to a period of time.
    public var hasPeriod: Bool {
        from != nil || to != nil || academicYear != nil || term != nil || termContaining != nil
    }

    /// The same filter without `--from` and `--to`: for a source whose own conditions stand for the dates (whole
    /// months, whole terms).
    var withoutDates: Filter {
        var undated = self
        undated.from = nil
        undated.to = nil
        return undated
    }

    /// The source fields the filter reads, so the planner can tell whether a summary has them.
    var fields: Set<Field> {
        var out: Set<Field> = []
        if school != nil { out.insert(.school) }
        if subject != nil { out.insert(.subject) }
        if cohort != nil { out.insert(.cohort) }
        if yearGroup != nil { out.insert(.yearGroup) }
        if standard != nil { out.insert(.standard) }
        if activity != nil { out.insert(.activity) }
        if staff != nil { out.insert(.staff) }
        if from != nil || to != nil { out.insert(.date) }
        if academicYear != nil { out.insert(.academicYear) }
        if term != nil { out.insert(.term) }
        if termContaining != nil { out.formUnion([.academicYear, .term]) }
        return out
    }

    /// The conditions over a source aliased `x` (see `CountSource`), one per field set.
    func conditions(_ x: String = "x", level: SourceLevel = .rating) -> [SQL] {
        var out: [SQL] = []
        let a = SQL(verbatim: x + ".")
        if let school {
            out.append("\(a)school_id IN (SELECT school_id FROM qa.school WHERE name_key = lower(btrim(\(school))))")
        }
        if let subject {
            out.append("\(a)subject_id IN (SELECT subject_id FROM qa.subject WHERE name_key = lower(btrim(\(subject))))")
        }
        if let staff {
            out.append("\(a)staff_id IN (\(Filter.staffIDs(staff)))")
        }
        // A cohort or year group is matched on the row's column where it has one (the column picks the one row of
        // each rating that counts), and on the record's arrays where it has them. A base-table row has both when it
        // unnests them: the arrays only narrow, so that PostgreSQL finds the records by their indexes and knows how
        // many there are; "unspecified" is left to the column there. `unspecified` matches a record naming none.
        if let cohort {
            if level.hasCohortColumn { out.append("lower(\(a)cohort) = lower(btrim(\(cohort)))") }
            if level.hasRecordArrays && !(level.hasCohortColumn && Filter.meansUnspecified(cohort)) {
                out.append(recordCohort(a, cohort))
            }
        }
        if let yearGroup {
            if level.hasYearGroupColumn {
                switch yearGroup {
                case .group(let g): out.append("\(a)year_group = \(g.number)")
                case .unspecified: out.append("\(a)year_group IS NULL")
                }
            }
            if level.hasRecordArrays && !(level.hasYearGroupColumn && yearGroup == .unspecified) {
                switch yearGroup {
                case .group(let g) where level.hasYearGroupKeys:
                    out.append("qa.year_group_keys(\(a)year_groups, \(a)academic_year, \(a)term) @> ARRAY["
                        + periodKey(everyPeriod: "g", name: "\(g.number)::text") + "]")
                case .group(let g): out.append("\(a)year_groups @> ARRAY[\(g.number)]::smallint[]")
                case .unspecified: out.append("\(a)year_groups = '{}'")
                }
            }
        }
        if let standard {
            out.append(level == .evidence
                ? "EXISTS (SELECT 1 FROM qa.rating rs WHERE rs.evidence_pk = \(a)evidence_pk AND rs.standard = \(standard.number))"
                : "\(a)standard = \(standard.number)")
        }
        if let activity { out.append("\(a)activity = \(activity.code)") }
        if let from { out.append("\(a)activity_date >= \(from.iso)::date") }
        if let to { out.append("\(a)activity_date <= \(to.iso)::date") }
        if let academicYear { out.append("\(a)academic_year = \(academicYear.startYear)") }
        if let term { out.append("\(a)term = \(term.rawValue)") }
        if let day = termContaining {
            out.append("\(a)academic_year = qa.academic_year_of(\(day.iso)::date)")
            out.append("\(a)term = qa.term_of(\(day.iso)::date)")
        }
        return out
    }

    /// Whether a cohort filter asks for records naming no cohort, as `lower(btrim(value)) = 'unspecified'` says
    /// in SQL (spaces trimmed, letters in any case).
    static func meansUnspecified(_ cohort: String) -> Bool {
        var text = Substring(cohort)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text.lowercased() == "unspecified"
    }

    /// A record (aliased by `a`) naming the cohort in any letter case, or naming none for `unspecified`. The cohort
    /// test asks `qa.cohort_keys` (SQL/020) for the key of the cohort in the filter's term or year where it names
    /// one, else for the cohort's, so that the index finds that period's records of the cohort directly; the
    /// period's own conditions stay as well. The value stays a bound parameter, and only which condition is written
    /// depends on it.
    func recordCohort(_ a: SQL, _ cohort: String) -> SQL {
        // Written as equality with the empty array (the arrays are never NULL): PostgreSQL's statistics know how
        // many records that is, where for cardinality() = 0 it guessed 0.5% of them (a term's records naming no
        // cohort: 1,353 guessed, 140,679 read), and grouped them by sorting, one process alone.
        if Filter.meansUnspecified(cohort) { return "\(a)cohorts = '{}'" }
        return "qa.cohort_keys(\(a)cohorts, \(a)academic_year, \(a)term) @> ARRAY["
            + periodKey(everyPeriod: "c", name: "lower(btrim(\(cohort)))") + "]"
    }

    /// The key of `name` (an SQL text expression) in the filter's term (`t:2024:spring:name`) or year
    /// (`y:2024:name`) where it names one, else in every period (`everyPeriod`, then `:name`): the keys of
    /// `qa.cohort_keys` (SQL/020) and `qa.year_group_keys` (SQL/022).
    func periodKey(everyPeriod: String, name: SQL) -> SQL {
        if let academicYear, let term {
            return "'t:' || \(academicYear.startYear)::text || ':' || \(term.rawValue)::text || ':' || " + name
        } else if let day = termContaining {
            return "'t:' || qa.academic_year_of(\(day.iso)::date)::text || ':' || qa.term_of(\(day.iso)::date) || ':' || " + name
        } else if let academicYear {
            return "'y:' || \(academicYear.startYear)::text || ':' || " + name
        }
        return SQL(verbatim: "'\(everyPeriod):' || ") + name
    }

    /// The staff matching a name or a source-system id, case-insensitively.
    static func staffIDs(_ value: String) -> SQL {
        """
        SELECT staff_id FROM qa.staff \
        WHERE lower(btrim(name)) = lower(btrim(\(value))) OR lower(external_id) = lower(btrim(\(value)))
        """
    }

    /// For reading the matching records first and then each one's ratings by the rating table's key: the filter for
    /// the records (without the standard, which is a rating's) and the condition on a rating `r` of a record `x`
    /// (its key, and the standard where one is asked for).
    var recordsThenRatings: (records: Filter, ratings: SQL) {
        var records = self
        records.standard = nil
        var ratings: SQL = "r.evidence_pk = x.evidence_pk"
        if let standard { ratings = ratings + " AND r.standard = \(standard.number)" }
        return (records, ratings)
    }

    /// ` WHERE a AND b` or nothing, with extra conditions a query adds.
    func whereClause(_ x: String = "x", level: SourceLevel = .rating, and extra: [SQL] = []) -> SQL {
        let all = conditions(x, level: level) + extra
        return all.isEmpty ? "" : " WHERE " + SQL.joined(all, separator: " AND ")
    }
}

/// A year-group filter: a year group, or records that name none.
public enum YearGroupChoice: Sendable, Equatable {
    case group(YearGroup)
    case unspecified
}

/// What a filtered source holds a row for, which decides how each filter is written over it.
enum SourceLevel: Equatable {
    /// A row per rating with its cohort and year group as columns: a summary.
    case rating
    /// A row per rating of the base tables (`CountSource.base`), with its record's `cohorts` and `year_groups`
    /// arrays, and a `cohort` or `year_group` column where it unnests them.
    case recordRating(cohortColumn: Bool, yearGroupColumn: Bool)
    /// A row per Amber or Red rating of qa.support_evidence, with its record's arrays, whose year groups are indexed
    /// by their keys (SQL/022).
    case supportRating
    /// A row per evidence record: cohorts and year groups as arrays, standards in qa.rating.
    case evidence

    var hasCohortColumn: Bool {
        switch self {
        case .rating: true
        case .recordRating(let cohortColumn, _): cohortColumn
        case .supportRating, .evidence: false
        }
    }

    var hasYearGroupColumn: Bool {
        switch self {
        case .rating: true
        case .recordRating(_, let yearGroupColumn): yearGroupColumn
        case .supportRating, .evidence: false
        }
    }

    var hasRecordArrays: Bool { self != .rating }

    /// Whether the record's year groups are indexed by `qa.year_group_keys` (SQL/022), and so are matched by key.
    var hasYearGroupKeys: Bool { self == .supportRating }
}

/// Non-withdrawn evidence records aliased `x`, with their term: the source of record-level queries.
/// The columns are named, never `e.*`: an analyst may read only some of them (SQL/005), and the free
/// text is never needed. The observer (a person's name) comes only when `observer` is true.
func evidenceSource(observer: Bool) -> SQL {
    SQL(verbatim: """
        (SELECT e.evidence_pk, e.evidence_id, e.school_id, e.subject_id, e.staff_id, e.activity, e.activity_date,
                e.verbal_feedback_date, e.written_feedback_date, e.academic_year, e.term, e.year_groups, e.cohorts,
                e.deep_dive_id, \(observer ? "e.observer" : "NULL::text AS observer")
           FROM qa.evidence e WHERE e.withdrawn_at IS NULL) x
        """)
}
