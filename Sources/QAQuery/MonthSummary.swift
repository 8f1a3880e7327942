/// The summaries kept by calendar month (SQL/016, SQL/035), which answer the whole months of a range of dates
/// (`CountSource.months`): rating_summary's counts by month, and 034's cohort and year-group counts by term, by month.
public enum MonthSummary: String, CaseIterable, Sendable, Equatable {
    case ratingMonthSummary = "rating_month_summary"
    case cohortMonthSummary = "rating_cohort_month_summary"
    case yearGroupMonthSummary = "rating_year_group_month_summary"

    /// The summary by term with the same fields besides the month (and columns, in the same order), whose rule for
    /// what it answers holds by month too (a cohort or year group's counts only when the question is by cohort or
    /// year group).
    var byTerm: SummaryTable {
        switch self {
        case .ratingMonthSummary: .ratingSummary
        case .cohortMonthSummary: .cohortTermSummary
        case .yearGroupMonthSummary: .yearGroupTermSummary
        }
    }

    /// Whether the whole months of a question with these fields (its dates aside) can be read here.
    func answers(_ request: Set<Field>) -> Bool { byTerm.answers(request) }
}
