import Postgres
import QACore

/// Where `query triangulation` reads its answer from.
public enum TriangulationSource: Sendable, Equatable {
    /// qa.triangulation_year (SQL/014): a whole academic year's rows, computed by the loads.
    case year
    /// qa.triangulation_summary (SQL/010): each activity's counts per group, term by term.
    case summary
    /// qa.triangulation_cohort_summary (SQL/025): the ratings given per group, term by term, under each cohort.
    case cohorts
    /// qa.triangulation_year_group_summary (SQL/025): the same under each year group.
    case yearGroups
    /// qa.triangulation_month (SQL/017) for the whole months of a range of dates, and the ratings of the days at
    /// its ends (see `MonthRange`) counted the same way from the base tables.
    case months(MonthRange)
    /// Every rating joined to its record.
    case baseTables
}

extension Triangulation {
    /// The filters the year table answers: the rows of a year, of a school or subject. A standard filter would
    /// change which rows decide a group's first term, and a term narrows a deep dive to that term's records.
    static let yearFields: Set<Field> = [.school, .subject, .academicYear]

    public var source: TriangulationSource {
        guard preference == .automatic else { return .baseTables }
        if filter.academicYear != nil && filter.fields.isSubset(of: Self.yearFields) { return .year }
        if filter.fields.isSubset(of: Self.summaryFields) { return .summary }
        // One cohort or one year group (not both: each table has only its own) beside the summary's fields.
        if filter.fields.subtracting([.cohort]).isSubset(of: Self.summaryFields) { return .cohorts }
        if filter.fields.subtracting([.yearGroup]).isSubset(of: Self.summaryFields) { return .yearGroups }
        if filter.fields.subtracting([.date]).isSubset(of: Self.summaryFields),
           let range = MonthRange(from: filter.from, to: filter.to) {
            return .months(range)
        }
        return .baseTables
    }

    /// The year's rows as the loads computed them: no grouping, only the names and the order; each activity's
    /// lowest and highest rating as the bits the other sources give (kept by the row since SQL/036; its verdict
    /// follows from them).
    var yearSQL: SQL {
        "SELECT v.deep_dive_id AS deep_dive, " + Self.labels(firstTerm: "v.first_term") + ", v.standard, v.ratings"
            + """

              FROM qa.triangulation_year v
              JOIN qa.school s ON s.school_id = v.school_id
              LEFT JOIN qa.subject su ON su.subject_id = v.subject_id
            """
            + filter.whereClause("v") + "\n" + Self.order(firstTerm: "v.first_term")
    }

    /// The school, subject, academic year and term of a row, named; `firstTerm` is 10 x year + term order.
    static func labels(firstTerm: SQL) -> SQL {
        """
        s.name AS school, coalesce(su.name, 'unspecified') AS subject,
               qa.academic_year_label((\(firstTerm) / 10)::smallint) AS academic_year,
               (ARRAY['autumn', 'spring', 'summer'])[\(firstTerm) % 10] AS term
        """
    }

    /// Within a school and subject: term by term, the records outside deep dives, then the term's deep dives.
    static func order(firstTerm: SQL) -> SQL {
        " ORDER BY school, subject, \(firstTerm), deep_dive NULLS FIRST, standard"
    }
}
