import ArgumentParser
import QAQuery

struct QueryTriangulation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triangulation",
        abstract: "Per deep dive (or subject, school and term), per standard: each activity's rating side by side and whether they agree.",
        discussion: """
            With no period (--academic-year, --term, --from, --to) it looks at this term, by the trust's term dates. \
            --as-of picks the term by another day; --all-time compares every record ever loaded.
            """)

    @OptionGroup var thisTerm: ThisTermOptions
    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var output: QueryOutputOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws { try thisTerm.check(against: filters) }

    func run() throws {
        try QueryRun(database: database, output: output)(
            filter: { try thisTerm.window(try filters.filter()) },
            statements: { [Triangulation(filter: $0).sql] },
            run: { filter, connection in
                try ThisTermOptions.noteIfChosen(filter, on: connection)
                return try Triangulation(filter: filter).table(on: connection)
            })
    }
}
