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

    /// Streams the answer to standard output as it is written, a quarter of a megabyte at a time. A year's
    /// triangulation at 3 million records is 78 MB of JSON, which was made whole and then written in one call: into
    /// a file that took the client 1.15 s of system time (0.15 s streamed) and 1.7-1.9 s of processor time in all
    /// (0.75 s streamed); a year's cpd-needs 1.1-1.3 -> 0.7-0.8 s; the most memory it held 224 -> 150 MB.
    func print(_ table: ResultTable) {
        format.write(table, colour: colour) { piece in
            guard let start = piece.baseAddress else { return }
            // Written from the writer's own bytes, without a copy into a new `Data`.
            FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: start), count: piece.count,
                                                 deallocator: .none))
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
