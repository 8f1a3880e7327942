import ArgumentParser
import Foundation
import Logging
import Postgres
import QACore
import QALoad
import QARead

/// `qa-analytics load FILE...`: load evidence files into PostgreSQL.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load evidence records from CSV or JSON Lines files (all or nothing per file; safe to repeat).",
        discussion: """
            Records are matched by (source, evidence_id): loading a file twice changes nothing the second \
            time; a changed record is updated and its previous version kept in qa.evidence_history. \
            Rejected rows go to NAME.rejects.csv beside the file (and to qa.load_reject) with the line, \
            column and reason, so they can be fixed and loaded again.

            Exit codes: 0 every row loaded; 65 loaded but some rows rejected; 1 failed (nothing from the \
            file committed); 64 usage error; 75 another load holds the lock.

            Examples:
              qa-analytics load exports/2024-03-14.csv
              qa-analytics load --snapshot --source standards-tracker tracker-full.jsonl
              qa-analytics load --dry-run --max-rejects 0 new-export.csv
            """)

    @Argument(help: ArgumentHelp("Evidence files (.csv, .jsonl or .ndjson), loaded in the order given.", valueName: "file"))
    var files: [String]

    @Option(help: "The system the records come from; records are identified by source and evidence_id.")
    var source = "standards-tracker"

    @Option(help: ArgumentHelp("File format when the extension does not say: csv or jsonl.", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("Text encoding: utf-8, or windows-1252 to convert files saved by older Excel.", valueName: "encoding"))
    var encoding = "utf-8"

    @Flag(help: "The file lists every current record of its source: mark records it no longer lists as withdrawn.")
    var snapshot = false

    @Flag(help: "Validate and report what would change, then roll everything back.")
    var dryRun = false

    @Option(help: ArgumentHelp("Abort the whole file when more rows than this are rejected: a count (50) or a share (10%).", valueName: "N|P%"))
    var maxRejects = "10%"

    @Option(help: ArgumentHelp("Seconds to wait for another load to finish.", valueName: "seconds"))
    var lockTimeout: Double = 300

    @Option(help: ArgumentHelp("Where to write rejected rows (one file only). Default: NAME.rejects.csv beside the input.", valueName: "path"))
    var rejects: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let format, InputFormat(name: format) == nil { throw ValidationError("--format must be csv or jsonl, not \"\(format)\"") }
        if TextEncoding(name: encoding) == nil { throw ValidationError("--encoding must be utf-8 or windows-1252, not \"\(encoding)\"") }
        if RejectLimit(parsing: maxRejects) == nil { throw ValidationError("--max-rejects must be a count such as 50 or a share such as 10%") }
        if rejects != nil && files.count > 1 { throw ValidationError("--rejects names one file; load one evidence file at a time with it") }
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("cannot read \(file): no such file, or no permission")
        }
    }

    func run() throws {
        let logger = database.makeLogger()
        let connection = try database.connect(logger: logger)
        let showProgress = Console.standardErrorIsTerminal && database.logFormat == .text
        var worst: Int32 = 0
        for file in files {
            let options = LoadOptions(
                source: source, snapshot: snapshot, dryRun: dryRun,
                maxRejects: RejectLimit(parsing: maxRejects) ?? .percent(10), lockTimeout: lockTimeout,
                rejectsPath: rejects,
                read: ReadOptions(
                    format: format.flatMap(InputFormat.init(name:)), encoding: TextEncoding(name: encoding) ?? .utf8,
                    today: CalendarDate.today()))
            let bar = ProgressBar(enabled: showProgress)
            var loader = Loader(connection: connection, logger: logger, progress: { rows, bytes in bar.update(rows: rows, bytes: bytes) })
            let shown = RejectLog(logger: logger)
            loader.onReject = { shown.note($0) }
            do {
                let report = try loader.load(path: file, options: options)
                bar.finish()
                shown.finish()
                LoadCommandLog.warn(report.warnings, logger: logger)
                logger.info("\(report.summary)", metadata: LoadCommandLog.metadata(report))
                // A failed file (1) outranks rejected rows (65), whatever the order of the files.
                if report.rejected > 0, worst != 1 { worst = 65 }
            } catch let error as LoadError {
                bar.finish()
                shown.finish()
                logger.error("\(file): \(error)")
                if case .lockBusy = error { throw ExitCode(75) }
                worst = 1
            } catch {
                // Lost connection, server shut down, or another database failure: the load's transaction
                // was rolled back (or never reached COMMIT), so say which file, why, and that a re-run is safe.
                bar.finish()
                shown.finish()
                let lost = (error as? PostgresError).map {
                    $0.kind == .connection || $0.sqlStateClass == .connectionException || $0.sqlStateClass == .operatorIntervention
                } ?? false
                logger.error("""
                    \(file): the load did not finish: \(error)
                    Run it again\(lost ? " when the server is back" : ""): records are matched by evidence id, so nothing is loaded twice
                    """)
                throw ExitCode(1)
            }
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}

/// Shows the first rejected rows on standard error as `file:line: column: reason`, then how many more.
final class RejectLog {
    static let limit = 10
    let logger: Logger
    private var count = 0

    init(logger: Logger) { self.logger = logger }

    func note(_ reject: Reject) {
        count += 1
        guard count <= RejectLog.limit else { return }
        // Most reasons already begin with their column ("S5: ..."); name it only where one does not.
        let column = reject.column.flatMap { reject.reason.hasPrefix("\($0):") ? nil : "\($0): " } ?? ""
        logger.warning("\(reject.file):\(reject.line): rejected: \(column)\(reject.reason)")
    }

    func finish() {
        if count > RejectLog.limit { logger.warning("... and \(count - RejectLog.limit) more rejected rows (all are in the rejects file)") }
        count = 0
    }
}

enum LoadCommandLog {
    /// Shown on screen; the rest stay in qa.load_warning. A first load creates every school, subject and
    /// staff member, and hundreds of "new staff member" lines would bury the summary.
    static let shownWarnings = 20

    static func warn(_ warnings: [ReadWarning], logger: Logger) {
        for warning in warnings.prefix(shownWarnings) {
            logger.warning("\(warning.file)\(warning.line.map { ":\($0)" } ?? ""): \(warning.message)")
        }
        if warnings.count > shownWarnings {
            logger.warning("... and \(warnings.count - shownWarnings) more warnings (all are in qa.load_warning)")
        }
    }

    static func metadata(_ report: LoadReport) -> Logger.Metadata {
        [
            "event": "load_finished", "batch": "\(report.batchID)", "status": "\(report.status.rawValue)",
            "rows_read": "\(report.rowsRead)", "inserted": "\(report.inserted)", "updated": "\(report.updated)",
            "unchanged": "\(report.unchanged)", "rejected": "\(report.rejected)", "withdrawn": "\(report.withdrawn)",
            "sha256": "\(report.sha256)",
        ]
    }
}
