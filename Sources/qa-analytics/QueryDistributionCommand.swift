import ArgumentParser
import QAQuery

struct QueryDistribution: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distribution",
        abstract: "Counts of ratings per RAGG* value, grouped by any combination of dimensions.",
        discussion: "Dimensions: " + Dimension.allCases.map(\.name).joined(separator: ", ")
            + ". A rating counts once under each cohort / year group of its record; records with none count under unspecified.")

    @Option(help: ArgumentHelp("Dimensions to group by, comma-separated.", valueName: "dim[,dim...]"))
    var by: String = "standard"

    @Flag(help: "Add a 95% Wilson interval for the good-or-better share.")
    var ci = false

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

    func query(_ filter: Filter) throws -> Distribution {
        Distribution(by: try Dimension.list(parsing: by), filter: filter, confidenceInterval: ci)
    }
}
