import ArgumentParser
import QAQuery

struct QueryCoverage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Gaps in QA: subjects without a deep dive this year, staff without a lesson visit this term, standards never evidenced.",
        discussion: "This year and term are today's unless --academic-year / --term (or --as-of) say otherwise. Only --school, --subject and --staff narrow it.")

    @OptionGroup var asOf: AsOfOption
    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var output: QueryOutputOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let today = try asOf.day()
        try QueryRun(database: database, output: output)(
            filter: { try filters.filter() },
            statements: { [Coverage(filter: $0, today: today).sql] },
            run: { filter, connection in
                let q = Coverage(filter: filter, today: today, namesVisible: try StaffNameAccess.allowed(on: connection))
                return q.table(try q.run(on: connection))
            })
    }
}
