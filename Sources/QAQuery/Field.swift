/// A column of the rating sources that a dimension or a filter reads.
enum Field: Hashable, Sendable {
    case school, subject, staff, activity, academicYear, term, standard, cohort, yearGroup, date
}
