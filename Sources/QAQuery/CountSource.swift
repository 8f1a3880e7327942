import Postgres

/// Where counts of ratings come from: a summary table that a load refreshes, or the base tables.
///
/// Every source is read as `x` with the same column names (school_id, subject_id, staff_id, activity,
/// academic_year, term, standard, and cohort / year_group where it has them), so dimensions and filters
/// are written once. The base tables also have rating, activity_date, evidence_pk and evidence_id.
public enum CountSource: Sendable, Equatable {
    case summary(SummaryTable)
    case base(cohorts: Bool, yearGroups: Bool)

    /// How a request may be answered: the planner's choice, or always from the base tables (for tests
    /// that prove both give the same answer, and for a summary suspected to be stale).
    public enum Preference: Sendable, Equatable {
        case automatic, baseTables
    }

    /// The smallest summary holding every field needed, else the base tables.
    static func choose(for fields: Set<Field>, preference: Preference) -> CountSource {
        if preference == .automatic, let table = SummaryTable.allCases.first(where: { fields.isSubset(of: $0.fields) }) {
            return .summary(table)
        }
        return .base(cohorts: fields.contains(.cohort), yearGroups: fields.contains(.yearGroup))
    }

    var from: SQL {
        switch self {
        case .summary(let table): return SQL(verbatim: "qa.\(table.rawValue) x")
        case .base(let cohorts, let yearGroups):
            var sql: SQL = """
                (SELECT e.school_id, e.subject_id, e.staff_id, e.activity, e.academic_year,
                        e.term, r.standard, r.rating, e.activity_date,
                        e.evidence_pk, e.evidence_id, e.deep_dive_id
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
        case .summary: SQL(verbatim: "coalesce(sum(x.n_\(rating.rawValue)), 0)::bigint")
        case .base: SQL(verbatim: "count(*) FILTER (WHERE x.rating = '\(rating.rawValue)')")
        }
    }
}

/// The summary tables of migrations 004 and 006, smallest grain first.
public enum SummaryTable: String, CaseIterable, Sendable, Equatable {
    case schoolSummary = "rating_school_summary"
    case ratingSummary = "rating_summary"
    case cohortSummary = "rating_cohort_summary"
    case yearGroupSummary = "rating_year_group_summary"
    case staffSummary = "rating_staff_summary"

    var fields: Set<Field> {
        let common: Set<Field> = [.school, .subject, .activity, .academicYear, .term, .standard]
        switch self {
        case .schoolSummary: return [.school, .academicYear, .term, .standard]
        case .ratingSummary: return common
        case .cohortSummary: return common.union([.cohort])
        case .yearGroupSummary: return common.union([.yearGroup])
        case .staffSummary: return common.union([.staff])
        }
    }
}
