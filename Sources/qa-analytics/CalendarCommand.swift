import ArgumentParser
import QALoad

/// `qa-analytics calendar load FILE`: the trust's own term dates and closure days.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Load the trust's term dates and closure days (they take precedence over the default terms).",
        subcommands: [LoadCalendar.self])

    struct LoadCalendar: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Load term dates and closure days from a CSV file with the header type,name,start,end.",
            discussion: """
                Example file:
                  type,name,start,end
                  term,autumn,2023-09-04,2023-12-20
                  term,spring,2024-01-08,2024-03-28
                  term,summer,2024-04-15,2024-07-23
                  closure,INSET day,2023-09-04,2023-09-04
                  closure,October half term,2023-10-23,2023-10-27
                Terms named again replace the earlier dates; closure days are added. Working days for
                feedback deadlines are Monday to Friday less closure days.
                """)

        @Argument(help: ArgumentHelp("The calendar CSV file.", valueName: "file"))
        var file: String

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let calendar = try CalendarFile.read(path: file)
            let logger = database.makeLogger()
            let days = try calendar.store(on: try database.connect(logger: logger))
            print("loaded \(calendar.terms.count) terms and \(days) closure days from \(file)")
        }
    }
}
