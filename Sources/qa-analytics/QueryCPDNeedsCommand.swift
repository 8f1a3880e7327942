import ArgumentParser
import Postgres
import QACore
import QAQuery

struct QueryCPDNeeds: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cpd-needs",
        abstract: "Where support is needed: staff support candidates, subjects and schools over a threshold, trust priorities.",
        discussion: """
            With no period (--academic-year, --term, --from, --to) it looks at this term, by the trust's term dates: \
            the evidence a six-week support cycle would act on. --as-of picks the term by another day; --all-time \
            weighs every record ever loaded.
            """)

    @Option(help: ArgumentHelp("Amber+Red share (percent) at or above which a subject or school is flagged.", valueName: "pct"))
    var threshold: Double = 40

    @Option(help: ArgumentHelp("Fewest ratings on a standard before a subject or school is judged.", valueName: "n"))
    var minN: Int = 10

    @Flag(help: "Weigh every record ever loaded instead of this term's (slow for a big trust: every flag ever raised).")
    var allTime = false

    @Option(help: ArgumentHelp("With no period given, look at the term containing this day instead of today's.", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var output: QueryOutputOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        let period = [filters.academicYear, filters.term, filters.from, filters.to].contains { $0 != nil }
        if allTime && period {
            throw ValidationError("--all-time weighs every record, so it cannot be used with --academic-year, --term, --from or --to")
        }
        if asOf != nil && (allTime || period) {
            throw ValidationError("--as-of only picks the term looked at when no period is given; leave it out, or the period")
        }
    }

    func run() throws {
        try QueryRun(database: database, output: output)(
            filter: { try window(try filters.filter()) },
            statements: { filter in
                let q = query(filter)
                return [q.staffSQL, q.groupSQL(bySubject: true), q.groupSQL(bySubject: false), q.trustSQL]
            },
            run: { filter, connection in
                let q = query(filter)
                if Console.standardErrorIsTerminal, let day = filter.termContaining {
                    Console.error(try Self.windowNote(day, on: connection))
                }
                return q.table(try q.run(on: connection))
            })
    }

    /// The filter with this term as its period when none is given (and --all-time is not): a support candidate
    /// is flagged on evidence a leader would act on now, not on a Red from years ago, and the answer stays small
    /// (with every record of a 3-million-record trust it is 3.6 million evidence ids).
    func window(_ filter: Filter) throws -> Filter {
        guard !allTime, !filter.hasPeriod else { return filter }
        var f = filter
        f.termContaining = try asOf.map { try FilterParsing.date($0, option: "--as-of") } ?? CalendarDate.today()
        return f
    }

    /// Said to a person at a terminal (never into a pipe or a cron log): which term the default period is.
    static func windowNote(_ day: CalendarDate, on connection: Connection) throws -> String {
        let row = try connection.query("""
            SELECT qa.term_of(\(day.iso)::date) AS term, qa.academic_year_label(qa.academic_year_of(\(day.iso)::date)) AS year
            """).single()
        let term: String = try row.decode("term"), year: String = try row.decode("year")
        return "note: no period given, so this is \(term) \(year), the term containing \(day.iso); "
            + "--academic-year, --term or --from/--to choose another period, --all-time every record ever loaded"
    }

    func query(_ filter: Filter) -> CPDNeeds { CPDNeeds(filter: filter, threshold: threshold, minimumRatings: minN) }
}
