import ArgumentParser
import Foundation
import QAExport
import QAQuery

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write CSV / JSON datasets, a manifest and a self-contained HTML dashboard, with small groups suppressed.",
        discussion: """
            The set is written to a temporary folder and renamed into place, so a reader of --out never sees half \
            of it. By default the files hold aggregates only (no staff names or ids, no free text), and a group \
            whose ratings come from fewer than --suppress-below staff members, or that has fewer ratings, shows c. \
            See docs/EXPORT.md.
            """)

    @Option(help: ArgumentHelp("The folder to write (replaced if it holds an earlier export).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Suppress groups with fewer distinct staff or ratings than this; 0 turns it off.", valueName: "k"))
    var suppressBelow: Int = 5

    @Flag(help: "CSV for Excel: a UTF-8 byte-order mark and CRLF line ends.")
    var excel = false

    @Flag(help: "Add staff-level CPD candidates (names): only for a role that may read staff names. The manifest says so.")
    var includeStaff = false

    @Option(help: ArgumentHelp("CPD: Amber+Red share (percent) at or above which a subject or school is flagged.", valueName: "pct"))
    var threshold: Double = 40

    @Option(help: ArgumentHelp("CPD: fewest ratings on a standard before a subject or school is judged.", valueName: "n"))
    var minN: Int = 10

    @OptionGroup var asOf: AsOfOption
    @OptionGroup var filters: QueryFilterOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if suppressBelow < 0 { throw ValidationError("--suppress-below must be 0 or more") }
    }

    func run() throws {
        do {
            let request = ExportRequest(
                filter: try filters.filter(), directory: URL(fileURLWithPath: out), suppressBelow: suppressBelow,
                excel: excel, includeStaff: includeStaff, asOf: try asOf.day(), cpdThreshold: threshold,
                cpdMinimumRatings: minN)
            let logger = database.makeLogger()
            let connection = try database.connect(logger: logger)
            try QuerySettings.apply(to: connection)
            try FilterCheck.check(request.filter, on: connection)
            let outcome = try Exporter(request).run(on: connection)
            logger.info("exported \(outcome.files) files (\(outcome.suppressedRows) rows suppressed) to \(outcome.directory.path)")
            print(outcome.dashboard.path)
        } catch let error as QueryError {
            Console.error("error: \(error)")
            throw ExitCode(64)
        } catch let error as ExportError {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}
