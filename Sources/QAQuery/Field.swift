/// A column of the rating sources that a dimension or a filter reads.
enum Field: Hashable, Sendable {
    case school, subject, staff, activity, academicYear, term, standard, cohort, yearGroup, date

    /// The column every source (`CountSource`) names it by; the date is read as a range, never grouped.
    var column: String? {
        switch self {
        case .school: "school_id"
        case .subject: "subject_id"
        case .staff: "staff_id"
        case .activity: "activity"
        case .academicYear: "academic_year"
        case .term: "term"
        case .standard: "standard"
        case .cohort: "cohort"
        case .yearGroup: "year_group"
        case .date: nil
        }
    }
}
