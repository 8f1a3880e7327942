import ArgumentParser
import Foundation
import Postgres
import QACore
import QAQuery

extension OutputFormat: ExpressibleByArgument {}

/// --format and --explain, and the one place a query's answer is printed.
struct QueryOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("table (aligned; RAGG* colours on a terminal), csv (RFC 4180) or json (an array of row objects).", valueName: "format"))
    var format: OutputFormat = .table

    @Flag(help: "Print the SQL and its parameters instead of running it.")
    var explain = false

    /// Colours only on a terminal that is not `dumb`, and never when NO_COLOR is set (no-color.org).
    var colour: Bool {
        let env = ProcessInfo.processInfo.environment
        return format == .table && Console.standardOutputIsTerminal && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    func print(_ table: ResultTable) {
        var bytes = format.bytes(table, colour: colour)
        // Written from the array itself: a copy into a new `Data` was another 50 MB for a year of triangulation.
        bytes.withUnsafeMutableBytes { buffer in
            guard let start = buffer.baseAddress else { return }
            FileHandle.standardOutput.write(Data(bytesNoCopy: start, count: buffer.count, deallocator: .none))
        }
    }

    /// The session settings the command applies, then its statements: a script psql can run as the command would.
    func printExplain(_ statements: [SQL]) {
        Swift.print(QuerySettings.statements.map { $0.description + ";" }.joined(separator: "\n") + "\n")
        Swift.print(statements.map(\.description).joined(separator: ";\n\n") + ";")
    }
}

/// Runs a query command: parse filters, connect, check the filter's names, run, print.
/// A filter value that matches nothing is a usage error (exit 64) with the nearest name.
struct QueryRun {
    let database: DatabaseOptions
    let output: QueryOutputOptions

    func callAsFunction(
        filter makeFilter: () throws -> Filter, statements: (Filter) throws -> [SQL],
        run: (Filter, Connection) throws -> ResultTable
    ) throws {
        do {
            let filter = try makeFilter()
            if output.explain {
                output.printExplain(try statements(filter))
                return
            }
            let logger = database.makeLogger()
            let connection = try database.connect(logger: logger)
            try QuerySettings.apply(to: connection)
            try FilterCheck.check(filter, on: connection)
            output.print(try run(filter, connection))
        } catch let error as QueryError {
            Console.error("error: \(error)")
            throw ExitCode(64)
        }
    }
}

/// `--as-of DATE`: the day feedback and coverage are judged on (default today).
struct AsOfOption: ParsableArguments {
    @Option(help: ArgumentHelp("Judge as on this day instead of today.", valueName: "YYYY-MM-DD"))
    var asOf: String?

    func day() throws -> CalendarDate {
        try asOf.map { try FilterParsing.date($0, option: "--as-of") } ?? CalendarDate.today()
    }
}
