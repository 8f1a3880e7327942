import ArgumentParser
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

    @OptionGroup var thisTerm: ThisTermOptions
    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var output: QueryOutputOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws { try thisTerm.check(against: filters) }

    func run() throws {
        try QueryRun(database: database, output: output)(
            filter: { try thisTerm.window(try filters.filter()) },
            statements: { query($0).statements() },
            run: { filter, connection in
                let q = query(filter)
                try ThisTermOptions.noteIfChosen(filter, on: connection)
                return q.table(try q.run(on: connection))
            })
    }

    func query(_ filter: Filter) -> CPDNeeds { CPDNeeds(filter: filter, threshold: threshold, minimumRatings: minN) }
}
