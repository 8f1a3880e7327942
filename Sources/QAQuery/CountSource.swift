import Postgres

/// Where counts of ratings come from: a summary table that a load refreshes, or the base tables.
///
/// Every source is read as `x` with the same column names (school_id, subject_id, staff_id, activity,
/// academic_year, term, standard, and cohort / year_group where it has them), so dimensions and filters
/// are written once. The base tables also have rating, activity_date, evidence_pk and evidence_id, and the
/// record's cohorts and year_groups arrays (filtered by `SourceLevel.recordRating`).
public enum CountSource: Sendable, Equatable {
    case summary(SummaryTable)
    case base(cohorts: Bool, yearGroups: Bool)
    /// A filter by dates: the whole months inside the range from a summary kept by month (SQL/016, SQL/035), the
    /// days at its ends from the base tables, added up. The filter is applied inside (see `whereClause`).
    case months(MonthRange, Filter, MonthSummary)
    /// A filter by dates and a field the month summary lacks (a cohort, a year group, a staff member): the terms
    /// wholly inside the range from the summary kept by year and term, the days left over at its ends from the base
    /// tables, added up. The filter is applied inside.
    case terms(TermRange, Filter, SummaryTable)

    /// How a request may be answered: the planner's choice, or always from the base tables (for tests
    /// that prove both give the same answer, and for a summary suspected to be stale).
    public enum Preference: Sendable, Equatable {
        case automatic, baseTables
    }

    /// The smallest summary holding every field needed, else the base tables.
    /// A range of dates with at least one whole month in it reads a month summary for those months, when one holds
    /// the other fields.
    static func choose(for fields: Set<Field>, filter: Filter, preference: Preference) -> CountSource {
        if preference == .automatic, let table = SummaryTable.allCases.first(where: { $0.answers(fields) }) {
            return .summary(table)
        }
        // 035's cohort and year-group counts by month hold about four times the rows of 034's by term: dates that
        // are whole terms (by the default dates) are read by term, where no day is left over either.
        if preference == .automatic, fields.contains(.date),
           let table = MonthSummary.allCases.first(where: { $0.answers(fields.subtracting([.date])) }),
           let range = MonthRange(from: filter.from, to: filter.to),
           table == .ratingMonthSummary || !(TermRange(for: filter)?.isWholeDefaultTerms ?? false) {
            return .months(range, filter, table)
        }
        if preference == .automatic, fields.contains(.date), let range = TermRange(for: filter),
           let table = SummaryTable.allCases.first(where: {
               $0.answers(fields.subtracting([.date]).union([.academicYear, .term]))
           }) {
            return .terms(range, filter, table)
        }
        return .base(cohorts: fields.contains(.cohort), yearGroups: fields.contains(.yearGroup))
    }

    /// ` WHERE ...` applying the filter to the source's rows; the month source has applied it inside.
    func whereClause(_ filter: Filter) -> SQL {
        switch self {
        case .months, .terms: return ""
        case .summary: return filter.whereClause()
        case .base(let cohorts, let yearGroups):
            return filter.whereClause(level: .recordRating(cohortColumn: cohorts, yearGroupColumn: yearGroups))
        }
    }

    var from: SQL {
        switch self {
        case .summary(let table): return SQL(verbatim: "qa.\(table.rawValue) x")
        case .months(let range, let filter, let table): return Self.monthsAndEndDays(range, filter, table)
        case .terms(let range, let filter, let table): return Self.termsAndEndDays(range, filter, table)
        case .base(let cohorts, let yearGroups):
            var sql: SQL = """
                (SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year, e.term, r.standard, r.rating,
                        e.activity_date, e.evidence_pk, e.evidence_id, e.deep_dive_id, e.cohorts, e.year_groups
                """
            if cohorts { sql = sql + ", co.cohort" }
            if yearGroups { sql = sql + ", yg.year_group" }
            sql = sql + " FROM qa.rating r JOIN qa.evidence e ON e.evidence_pk = r.evidence_pk"
            // A rating counts once under each cohort / year group of its record; none counts as unspecified.
            if cohorts {
                sql = sql + """
                     CROSS JOIN LATERAL unnest(CASE WHEN cardinality(e.cohorts) = 0 THEN ARRAY['unspecified']
                                                    ELSE e.cohorts END) AS co(cohort)
                    """
            }
            if yearGroups {
                sql = sql + """
                     CROSS JOIN LATERAL unnest(CASE WHEN cardinality(e.year_groups) = 0 THEN ARRAY[NULL::smallint]
                                                    ELSE e.year_groups END) AS yg(year_group)
                    """
            }
            return sql + " WHERE e.withdrawn_at IS NULL) x"
        }
    }

    /// The number of ratings of one RAGG* value in the grouped rows.
    func count(_ rating: RatingTint) -> SQL {
        switch self {
        case .summary, .months, .terms: SQL(verbatim: "coalesce(sum(x.n_\(rating.rawValue)), 0)::bigint")
        case .base: SQL(verbatim: "count(*) FILTER (WHERE x.rating = '\(rating.rawValue)')")
        }
    }
}

extension CountSource {
    /// Every rating of a record in use with its record's columns (`base` without cohorts or year groups): what the
    /// days at a range's ends are read from. PostgreSQL looks those days' ratings up by the rating table's key, in
    /// parallel, with `QuerySettings`' price of reading a page out of order.
    static let endDayRatings = CountSource.base(cohorts: false, yearGroups: false).from

    /// A rating's row in a summary's count columns: 1 in its value's column, 0 in the others.
    static let ratingAsCounts = [RatingTint.red, .amber, .green, .gold].map { tint in
        "(x.rating = '\(tint.rawValue)')::integer AS n_\(tint.rawValue)"
    }.joined(separator: ", ")

    /// What the two split sources read, in `summary`'s columns (in `SummaryTable.columns`' order): its count rows from
    /// `table` (the summary itself, or its counterpart by month), and the base tables' ratings one row each (and one per cohort
    /// or year group where the summary has them), counting 1 in their value's column, with the level to filter them
    /// at. The query's grouping adds them up; grouping the ratings first by every summary column cost 0.25 s for a
    /// month of end days at 3 million records.
    private static func countRows(of summary: SummaryTable, in table: String) -> (summary: SQL, ratings: SQL, level: SourceLevel) {
        let columns = summary.columns.map { "x." + $0 }.joined(separator: ", ")
        let cohorts = summary.fields.contains(.cohort), yearGroups = summary.fields.contains(.yearGroup)
        return (SQL(verbatim: "SELECT \(columns), x.n_red, x.n_amber, x.n_green, x.n_gold FROM qa.\(table) x"),
                SQL(verbatim: "SELECT \(columns), \(ratingAsCounts) FROM ") + CountSource.base(cohorts: cohorts, yearGroups: yearGroups).from,
                .recordRating(cohortColumn: cohorts, yearGroupColumn: yearGroups))
    }

    /// The month summary's rows of the whole months, and the end days' ratings in the same columns (`countRows`),
    /// as `x`.
    static func monthsAndEndDays(_ range: MonthRange, _ filter: Filter, _ table: MonthSummary) -> SQL {
        let rows = countRows(of: table.byTerm, in: table.rawValue)
        return range.relation(filter, months: rows.summary, endDays: rows.ratings, endDayLevel: rows.level)
    }

    /// The summary's rows of the whole terms, and the end days' ratings in the same columns (`countRows`), as `x`;
    /// each part filtered by `filter`: without its dates for the whole terms (their own condition), as asked in each
    /// end year's terms that are not whole (`TermRange.endTermFilters`), so that a range of whole terms reads no
    /// record.
    static func termsAndEndDays(_ range: TermRange, _ filter: Filter, _ table: SummaryTable) -> SQL {
        let rows = countRows(of: table, in: table.rawValue)
        var parts = [rows.summary + filter.withoutDates.whereClause(and: [range.inWholeTerms("x")])]
        for (conditions, inTerm) in range.endTermFilters(filter) {
            parts.append(rows.ratings + inTerm.whereClause(level: rows.level, and: conditions))
        }
        return "(" + SQL.joined(parts, separator: "\n UNION ALL\n ") + ") x"
    }
}

/// The summary tables of migrations 004, 006, 011 and 034, in the order the planner tries them: smallest first
/// among those that can hold the same fields (at a million records: school 18,000 rows, staff by term 27,000,
/// cohort or year group by staff 250,000, rating 300,000, staff over every year 393,000, cohort or year group
/// 1.6 million, staff 1.4 million; at 3 million, 034's cohort by term 226,000 and by subject 379,000, against
/// 753,000 for cohort by staff and 4.7 million for the cohort summary).
public enum SummaryTable: String, CaseIterable, Sendable, Equatable {
    case schoolSummary = "rating_school_summary"
    case staffTermSummary = "rating_staff_term_summary"
    case cohortTermSummary = "rating_cohort_term_summary"
    case yearGroupTermSummary = "rating_year_group_term_summary"
    case cohortSubjectSummary = "rating_cohort_subject_summary"
    case yearGroupSubjectSummary = "rating_year_group_subject_summary"
    case ratingSummary = "rating_summary"
    case cohortStaffSummary = "rating_cohort_staff_summary"
    case yearGroupStaffSummary = "rating_year_group_staff_summary"
    case staffOverallSummary = "rating_staff_overall_summary"
    case cohortSummary = "rating_cohort_summary"
    case yearGroupSummary = "rating_year_group_summary"
    case staffSummary = "rating_staff_summary"

    /// Whether the summary holds every field a request needs and counts its ratings once: a cohort or year-group
    /// summary counts a rating once per cohort or year group of its record, right only when the request is by
    /// cohort or year group.
    func answers(_ request: Set<Field>) -> Bool {
        guard request.isSubset(of: fields) else { return false }
        if fields.contains(.cohort) && !request.contains(.cohort) { return false }
        if fields.contains(.yearGroup) && !request.contains(.yearGroup) { return false }
        return true
    }

    /// The summary's columns of its fields, in one order (the statement's text never depends on a set's order).
    var columns: [String] {
        let order: [Field] = [.school, .subject, .activity, .academicYear, .term, .standard, .staff, .cohort, .yearGroup]
        return order.filter { fields.contains($0) }.compactMap(\.column)
    }

    var fields: Set<Field> {
        let common: Set<Field> = [.school, .subject, .activity, .academicYear, .term, .standard]
        switch self {
        case .schoolSummary: return [.school, .academicYear, .term, .standard]
        case .staffTermSummary: return [.school, .academicYear, .term, .staff]
        case .cohortTermSummary: return [.school, .academicYear, .term, .standard, .cohort]
        case .yearGroupTermSummary: return [.school, .academicYear, .term, .standard, .yearGroup]
        case .cohortSubjectSummary: return [.school, .subject, .standard, .cohort]
        case .yearGroupSubjectSummary: return [.school, .subject, .standard, .yearGroup]
        case .ratingSummary: return common
        case .cohortStaffSummary: return [.school, .standard, .cohort, .staff]
        case .yearGroupStaffSummary: return [.school, .standard, .yearGroup, .staff]
        case .staffOverallSummary: return [.school, .subject, .activity, .standard, .staff]
        case .cohortSummary: return common.union([.cohort])
        case .yearGroupSummary: return common.union([.yearGroup])
        case .staffSummary: return common.union([.staff])
        }
    }
}
