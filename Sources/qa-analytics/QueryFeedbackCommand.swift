import ArgumentParser
import QAQuery

struct QueryFeedback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Verbal feedback within 5 working days and written within 10, per school and per observer.")

    @OptionGroup var asOf: AsOfOption
    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var output: QueryOutputOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let today = try asOf.day()
        try QueryRun(database: database, output: output)(
            filter: { try filters.filter() },
            statements: { FeedbackTimeliness(filter: $0, today: today).explained },
            run: { filter, connection in
                let q = FeedbackTimeliness(filter: filter, today: today, namesVisible: try StaffNameAccess.allowed(on: connection))
                return q.table(try q.run(on: connection))
            })
    }
}
