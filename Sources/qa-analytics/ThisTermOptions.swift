import ArgumentParser
import Postgres
import QACore
import QAQuery

/// `--all-time` and `--as-of` of the queries that look at this term when given no period (cpd-needs,
/// triangulation): a leader acts on this term's evidence, and over a big trust's whole history these answers
/// run to millions of evidence ids or hundreds of thousands of rows, taking seconds instead of under one.
struct ThisTermOptions: ParsableArguments {
    @Flag(help: "Look at every record ever loaded instead of this term's (slow for a big trust: the answer covers its whole history).")
    var allTime = false

    @Option(help: ArgumentHelp("With no period given, look at the term containing this day instead of today's.", valueName: "YYYY-MM-DD"))
    var asOf: String?

    /// Refuses a combination in which one option would be ignored.
    func check(against filters: QueryFilterOptions) throws {
        let period = [filters.academicYear, filters.term, filters.from, filters.to].contains { $0 != nil }
        if allTime && period {
            throw ValidationError("--all-time looks at every record, so it cannot be used with --academic-year, --term, --from or --to")
        }
        if asOf != nil && (allTime || period) {
            throw ValidationError("--as-of only picks the term looked at when no period is given; leave it out, or the period")
        }
    }

    /// The filter with this term (by the trust's term dates) as its period when none is given and --all-time is not.
    func window(_ filter: Filter) throws -> Filter {
        guard !allTime, !filter.hasPeriod else { return filter }
        var f = filter
        f.termContaining = try asOf.map { try FilterParsing.date($0, option: "--as-of") } ?? CalendarDate.today()
        return f
    }

    /// Said to a person at a terminal (never into a pipe or a cron log): which term the default period is.
    static func noteIfChosen(_ filter: Filter, on connection: Connection) throws {
        guard Console.standardErrorIsTerminal, let day = filter.termContaining else { return }
        let row = try connection.query("""
            SELECT qa.term_of(\(day.iso)::date) AS term, qa.academic_year_label(qa.academic_year_of(\(day.iso)::date)) AS year
            """).single()
        let term: String = try row.decode("term"), year: String = try row.decode("year")
        Console.error("note: no period given, so this is \(term) \(year), the term containing \(day.iso); "
            + "--academic-year, --term or --from/--to choose another period, --all-time every record ever loaded")
    }
}
