import ArgumentParser
import QAQuery

struct QueryTrend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Good-or-better and Amber+Red shares per term over academic years, with the change from the previous term.")

    @Option(help: ArgumentHelp("One dimension to show a series for (default: the whole trust).", valueName: "dim"))
    var by: String?

    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var output: QueryOutputOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try QueryRun(database: database, output: output)(
            filter: { try filters.filter() },
            statements: { [try query($0).sql] },
            run: { filter, connection in
                let q = try query(filter)
                return q.table(try q.run(on: connection))
            })
    }

    func query(_ filter: Filter) throws -> Trend {
        let dims = try by.map(Dimension.list(parsing:)) ?? []
        guard dims.count <= 1 else {
            throw QueryError.invalid(option: "--by", value: by ?? "", expected: "one dimension")
        }
        return Trend(by: dims.first, filter: filter)
    }
}
