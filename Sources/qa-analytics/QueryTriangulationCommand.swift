import ArgumentParser
import QAQuery

struct QueryTriangulation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triangulation",
        abstract: "Per deep dive (or subject, school and term), per standard: each activity's rating side by side and whether they agree.")

    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var output: QueryOutputOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try QueryRun(database: database, output: output)(
            filter: { try filters.filter() },
            statements: { [Triangulation(filter: $0).sql] },
            run: { filter, connection in
                let q = Triangulation(filter: filter)
                return q.table(try q.run(on: connection))
            })
    }
}
