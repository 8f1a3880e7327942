import ArgumentParser
import QAQuery

struct QueryCPDNeeds: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cpd-needs",
        abstract: "Where support is needed: staff support candidates, subjects and schools over a threshold, trust priorities.")

    @Option(help: ArgumentHelp("Amber+Red share (percent) at or above which a subject or school is flagged.", valueName: "pct"))
    var threshold: Double = 40

    @Option(help: ArgumentHelp("Fewest ratings on a standard before a subject or school is judged.", valueName: "n"))
    var minN: Int = 10

    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var output: QueryOutputOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try QueryRun(database: database, output: output)(
            filter: { try filters.filter() },
            statements: { filter in
                let q = query(filter)
                return [q.staffSQL, q.groupSQL(bySubject: true), q.groupSQL(bySubject: false), q.trustSQL]
            },
            run: { filter, connection in
                let q = query(filter)
                if Console.standardErrorIsTerminal, let hint = Self.windowHint(filter) { Console.error(hint) }
                return q.table(try q.run(on: connection))
            })
    }

    /// Said to a person at a terminal (never into a pipe or a cron log) when no period narrows the staff level.
    static func windowHint(_ filter: Filter) -> String? {
        guard filter.from == nil, filter.to == nil, filter.academicYear == nil, filter.term == nil else { return nil }
        return "note: no period given, so staff are flagged on every record ever loaded; "
            + "--academic-year, --term or --from/--to narrow it to the evidence a support cycle would act on"
    }

    func query(_ filter: Filter) -> CPDNeeds { CPDNeeds(filter: filter, threshold: threshold, minimumRatings: minN) }
}
