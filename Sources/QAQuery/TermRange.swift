import Postgres
import QACore

/// A range of days (`--from`, `--to`, either open) read as the terms wholly inside it, which the summaries kept by
/// academic year and term answer, and the days left over at its ends, which only the base tables hold: 1 September
/// 2023 to 31 August 2025 is six whole terms and no end days; for a cohort, 1 October 2024 to 15 May 2025 is the
/// spring term, with October to December and April to 15 May from the base tables (by the default terms; which ranges
/// are split at all: `init(for:)`).
///
/// Which days make a term is PostgreSQL's to say (`qa.term_of`: the trust's term dates where loaded, else the default
/// months), so the terms are worked out in the statement: only the range's first and last academic years can hold a
/// term that is partly outside it, and their days (at most two years' worth) are each given their term; every term
/// of the years between, or beyond an open end, is whole.
public struct TermRange: Sendable, Equatable {
    public let from: CalendarDate?
    public let to: CalendarDate?

    /// The fewest days a range must span to be worth splitting. No default term is shorter than 90 days, and a
    /// trust's terms with their holidays run twelve weeks or more, so a shorter range is read from the base tables
    /// alone: working its terms out found none and cost 0.1-0.2 s more for a fortnight at 3 million records.
    static let shortestSplit = 56

    /// Nil when the range is open at both ends (no dates: the summaries answer without this), or too short to hold a
    /// term (`shortestSplit`).
    public init?(from: CalendarDate?, to: CalendarDate?) {
        guard from != nil || to != nil else { return nil }
        self.from = from
        self.to = to
        if let days = dayCount, days < Self.shortestSplit { return nil }
    }

    /// The days the range spans, both ends included; nil when it is open.
    var dayCount: Int? {
        guard let from, let to else { return nil }
        return to.daysSinceEpoch - from.daysSinceEpoch + 1
    }

    /// The range of a filter's dates when splitting it is worth it: open at one end, a year or more, whole terms by
    /// the default dates (1 September to 31 March, say), or (eight weeks or more) with a cohort or a year group, whose
    /// records in a term are found by their key for the term. Any other shorter range reads the base tables alone:
    /// its terms that are not whole are most of it, and reading them term by term, each found by the records' term
    /// index, cost more than reading the range by date once (feedback from October to mid-May at 3 million records:
    /// 2.0 s from the records, 3.2-5.3 s split).
    public init?(for filter: Filter) {
        guard let range = TermRange(from: filter.from, to: filter.to) else { return nil }
        if let days = range.dayCount, days < 365, filter.cohort == nil, filter.yearGroup == nil,
           !range.isWholeDefaultTerms { return nil }
        self = range
    }

    /// Whether each end of the range is a default term's first or last day (1 September, 1 January or 1 April; 31
    /// December, 31 March or 31 August), or open: the range is whole terms unless the trust's own term dates differ,
    /// and then its terms that are not whole are read from the base tables as any others are.
    public var isWholeDefaultTerms: Bool {
        func termChanges(before day: CalendarDate) -> Bool {
            Term(defaultFor: day) != Term(defaultFor: day.adding(days: -1))
        }
        return (from.map(termChanges) ?? true) && (to.map { termChanges(before: $0.adding(days: 1)) } ?? true)
    }

    var firstYear: AcademicYear? { from.map { AcademicYear(containing: $0) } }
    var lastYear: AcademicYear? { to.map { AcademicYear(containing: $0) } }

    /// The academic years of the range's ends (one when both ends fall in the same year).
    var endYears: [AcademicYear] {
        var out: [AcademicYear] = []
        for year in [firstYear, lastYear].compactMap({ $0 }) where !out.contains(year) { out.append(year) }
        return out
    }

    /// The terms of `year` whose days, as `d.day`, meet `condition` (aggregates over a term's days), as an array
    /// computed once per statement; the days are given their term by `qa.term_of`.
    private func terms(of year: AcademicYear, having condition: SQL) -> SQL {
        "ARRAY(SELECT d.term FROM (SELECT s.day, qa.academic_year_of(s.day) AS academic_year, qa.term_of(s.day) AS term"
            + " FROM (SELECT generate_series(\(year.firstDay.iso)::date, \(year.lastDay.iso)::date, interval '1 day')::date"
            + " AS day) s) d GROUP BY d.term HAVING " + condition + ")"
    }

    /// Whether day `d.day` lies in the range.
    private var dayInRange: SQL {
        var inside: [SQL] = []
        if let from { inside.append("d.day >= \(from.iso)::date") }
        if let to { inside.append("d.day <= \(to.iso)::date") }
        return SQL.joined(inside, separator: " AND ")
    }

    /// The terms of an end year every day of which lies in the range.
    private func wholeTerms(of year: AcademicYear) -> SQL {
        terms(of: year, having: "bool_and(" + dayInRange + ")")
    }

    /// The terms of an end year partly in the range: some of their days in it, not all. Only these are read from the
    /// base tables; a term wholly outside the range is skipped before anything is read (reading it by its term index
    /// to find none of its records in the range cost about 0.1 s for a summer term at 3 million records).
    private func partTerms(of year: AcademicYear) -> SQL {
        terms(of: year, having: "bool_or(" + dayInRange + ") AND NOT bool_and(" + dayInRange + ")")
    }

    /// Whether a row of a source aliased `a` (with academic_year and term) is in a whole term of the range: a year
    /// between the ends, or an end year's whole term. Written as plain comparisons and arrays rather than a join with
    /// a list of terms, so that PostgreSQL reads a summary as it would for a year or a term (a join with the list
    /// was planned as a merge over a whole summary's index: 2.6 s for the cohort summary at 3 million records).
    func inWholeTerms(_ a: String) -> SQL {
        let x = SQL(verbatim: a + ".")
        var between: [SQL] = []
        if let firstYear { between.append("\(x)academic_year > \(firstYear.startYear)") }
        if let lastYear { between.append("\(x)academic_year < \(lastYear.startYear)") }
        var parts: [SQL] = []
        if firstYear == nil || lastYear == nil || (lastYear?.startYear ?? 0) - (firstYear?.startYear ?? 0) >= 2 {
            parts.append("(" + SQL.joined(between, separator: " AND ") + ")")
        }
        for year in endYears {
            parts.append("(\(x)academic_year = \(year.startYear) AND \(x)term = ANY(" + wholeTerms(of: year) + "))")
        }
        return "(" + SQL.joined(parts, separator: " OR ") + ")"
    }

    /// The filters that read the records of the range outside its whole terms: one per term of each end year, the
    /// filter as asked narrowed to that year and term, with conditions on a source aliased `x`: the term is partly
    /// in the range, neither whole nor wholly outside it (decided once before anything is read), and the range's
    /// dates. With the year and term, PostgreSQL finds those records by the records' term index, or a cohort by its
    /// key for the term (`Filter.periodKey`), and knows how many there are: a list of end days, looked up day by
    /// day, was planned for 5 days where there were 137 (1.1 s for a cohort's October to December and April to
    /// mid-May at 3 million records). A filter naming another year or term has nothing there.
    func endTermFilters(_ filter: Filter) -> [(conditions: [SQL], filter: Filter)] {
        var out: [(conditions: [SQL], filter: Filter)] = []
        for year in endYears where filter.academicYear == nil || filter.academicYear == year {
            let part = partTerms(of: year)
            for term in Term.allCases where filter.term == nil || filter.term == term {
                var inTerm = filter.withoutDates
                inTerm.academicYear = year
                inTerm.term = term
                var conditions: [SQL] = ["\(term.rawValue)::text = ANY(" + part + ")"]
                // The dates are written so that no index reads by them (`+ 0`): the term is found by the records'
                // term index or a cohort's key for the term, and its records tested for the dates. By the date index
                // each term's part read the whole range (two terms' parts, twice). Bounding the dates by the term's
                // own first and last days instead (values PostgreSQL learns only while running) was tried too:
                // planned for a few records, a cohort's term was then read by date and each record's cohorts tested
                // (0.54 -> 1.8 s for SEND from October to mid-May at 3 million records).
                if let from { conditions.append("x.activity_date + 0 >= \(from.iso)::date") }
                if let to { conditions.append("x.activity_date + 0 <= \(to.iso)::date") }
                out.append((conditions, inTerm))
            }
        }
        return out
    }
}
