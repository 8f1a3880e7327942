import ArgumentParser
import QACore
import QAQuery

/// The filters every query shares. Values are checked against the data before a query runs.
struct QueryFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this school (case-insensitive).", valueName: "name")) var school: String?
    @Option(help: ArgumentHelp("Only this subject.", valueName: "name")) var subject: String?
    @Option(help: ArgumentHelp("Only this cohort (SEND, Disadvantaged, Boys, ..., or unspecified).", valueName: "name"))
    var cohort: String?
    @Option(help: ArgumentHelp("Only this year group (R, Y1 to Y13, or unspecified).", valueName: "group"))
    var yearGroup: String?
    @Option(help: ArgumentHelp("Only this standard (1 to 12 or its short name).", valueName: "standard"))
    var standard: String?
    @Option(help: ArgumentHelp("Only this activity (lesson visit, work scrutiny, deep dive, ...).", valueName: "activity"))
    var activity: String?
    @Option(help: ArgumentHelp("Only this staff member (name or staff id).", valueName: "name")) var staff: String?
    @Option(help: ArgumentHelp("Activities on or after this date.", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("Activities on or before this date.", valueName: "YYYY-MM-DD")) var to: String?
    @Option(help: ArgumentHelp("Only this academic year.", valueName: "2022/23")) var academicYear: String?
    @Option(help: ArgumentHelp("Only this term: autumn, spring or summer.", valueName: "term")) var term: String?

    func filter() throws -> Filter {
        Filter(
            school: school, subject: subject, cohort: cohort,
            yearGroup: try yearGroup.map(FilterParsing.yearGroup),
            standard: try standard.map(FilterParsing.standard),
            activity: try activity.map(FilterParsing.activity), staff: staff,
            from: try from.map { try FilterParsing.date($0, option: "--from") },
            to: try to.map { try FilterParsing.date($0, option: "--to") },
            academicYear: try academicYear.map(FilterParsing.academicYear),
            term: try term.map(FilterParsing.term))
    }
}
