import Foundation
import Logging
import Postgres
import QACore
import QARead

/// Loads one evidence file into PostgreSQL: all of it or nothing, idempotently, accounting for every row.
///
/// Swift streams and validates; PostgreSQL does the set-based work. The file's rows go through COPY into a
/// temporary staging table (rejected rows too, with their reasons), then one transaction finds repeated ids,
/// creates new schools, subjects and staff, merges records by (source, evidence_id) keeping the history of
/// changed ones, withdraws absent records for a snapshot, and records the batch. A crash or kill at any
/// moment before COMMIT leaves nothing from the file.
public struct Loader {
    public let connection: Connection
    public let logger: Logger
    /// Called every few thousand rows with (rows read, bytes read).
    public var progress: ((Int, Int) -> Void)?
    /// Called for each rejected row as it is found (line, column and reason), so a caller can show where
    /// the problems are without opening the rejects file.
    public var onReject: ((Reject) -> Void)?

    /// One lock for all loads: merges of overlapping files must not interleave.
    static let lockKey = 7_315_002

    public init(connection: Connection, logger: Logger, progress: ((Int, Int) -> Void)? = nil) {
        self.connection = connection
        self.logger = logger
        self.progress = progress
    }

    public func load(path: String, options: LoadOptions) throws -> LoadReport {
        let started = Date()
        let fileName = (path as NSString).lastPathComponent
        let digest = FileDigest.start(path: path)
        try acquireLock(timeout: options.lockTimeout)
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Loader.lockKey))") }
        try markInterruptedLoads()

        let reader: EvidenceReader
        do {
            reader = try EvidenceReader(path: path, options: options.read)
        } catch {
            let batch = try? startBatch(file: fileName, options: options, format: "unknown", digest: digest.wait())
            if let batch { try? finishBatch(batch, status: "failed", message: error.description) }
            throw LoadError.unreadable(error, batchID: batch)
        }
        // The batch is recorded before the file's SHA-256 is known: hashing runs on another thread while the
        // file streams (at a million records it took 1.8 s, which the load used to wait for), and the hash is
        // written with the outcome.
        let bytes = FileDigest.size(path: path)
        let batch = try startBatch(file: fileName, options: options, format: reader.format.rawValue,
                                   digest: FileDigest.Result(bytes: bytes, sha256: nil))
        var report = LoadReport(
            batchID: batch, file: fileName, source: options.source, status: .succeeded, bytes: bytes, sha256: "")
        report.warnings = reader.headerWarnings
        let rejectsPath = options.rejectsPath ?? RejectsFileWriter.path(forInput: path)
        var rejects = RejectsFile(path: rejectsPath, header: reader.originalHeader)

        do {
            // Room for the staging table in memory; only settable before a session's first temporary table.
            _ = try? connection.execute("SET temp_buffers = '1GB'")
            try connection.execute("BEGIN")
            // The merge groups and joins a whole file's rows at once: room to do that in memory.
            try connection.execute("SET LOCAL work_mem = '256MB'")
            // The merge's statements cross the planner's JIT thresholds at any size; compiling them cost more
            // than it saved (up to half a second a statement, measured with auto_explain at 100,000 records).
            try connection.execute("SET LOCAL jit = off")
            try connection.execute(StagingTable.create)
            let streamed = try timed("read and copy") { try stream(reader, into: &rejects, options: options, report: &report) }
            report.warnings += streamed.warnings
            try merge(batch: batch, options: options, path: path, rejects: &rejects, report: &report)
            report.rejectsFile = rejects.path(ifWritten: report.rejected > 0)
            if options.maxRejects.isExceeded(rejected: report.rejected, read: report.rowsRead) {
                throw LoadError.tooManyRejects(
                    rejected: report.rejected, read: report.rowsRead, limit: options.maxRejects,
                    rejectsFile: report.rejectsFile, batchID: batch)
            }
            report.status = options.dryRun ? .dryRun : report.rejected > 0 ? .succeededWithRejects : .succeeded
            report.sha256 = timed("file digest") { digest.wait().sha256 ?? "" }
            report.seconds = Date().timeIntervalSince(started)
            try recordOutcome(report, batch: batch)
            try timed("commit") { try connection.execute(options.dryRun ? "ROLLBACK" : "COMMIT") }
            if options.dryRun { try recordOutcome(report, batch: batch) }
            try rejects.close()
            return report
        } catch {
            _ = try? connection.execute("ROLLBACK")
            try? rejects.close()
            let status: String
            switch error {
            case LoadError.tooManyRejects: status = "aborted"
            default: status = "failed"
            }
            report.sha256 = digest.wait().sha256 ?? ""
            try? finishBatch(batch, status: status, message: "\(error)", report: report)
            if case let problem as FileProblem = error { throw LoadError.unreadable(problem, batchID: batch) }
            throw error
        }
    }

    /// Reads the file and streams every row into the staging table; rejected rows also go to the rejects file.
    func stream(_ reader: EvidenceReader, into rejects: inout RejectsFile, options: LoadOptions, report: inout LoadReport)
        throws -> (rows: Int, warnings: [ReadWarning])
    {
        var warnings: [ReadWarning] = []
        var rows = 0
        var rejected = 0
        let evidenceColumn = reader.originalHeader.firstIndex { EvidenceColumn(header: $0) == .evidenceID }
        try connection.copyIn(StagingTable.copy) { writer in
            while let outcome = try reader.next() {
                rows += 1
                switch outcome {
                case .accepted(let record, let line, let recordWarnings):
                    warnings += recordWarnings
                    let warning = recordWarnings.isEmpty ? nil : recordWarnings.map(\.message).joined(separator: "; ")
                    try StagingTable.write(record, line: line, warning: warning, to: &writer)
                case .rejected(let reject):
                    rejected += 1
                    onReject?(reject)
                    try rejects.write(reject)
                    let id = RejectedRow.evidenceID(of: reject, format: reader.format, column: evidenceColumn)
                    try StagingTable.write(reject, evidenceID: id, original: RejectedRow.text(of: reject, format: reader.format), to: &writer)
                    // A count limit can be enforced as soon as it is passed; a percentage needs the whole file.
                    if case .count = options.maxRejects, options.maxRejects.isExceeded(rejected: rejected, read: rows) {
                        throw LoadError.tooManyRejects(
                            rejected: rejected, read: rows, limit: options.maxRejects,
                            rejectsFile: rejects.path(ifWritten: true), batchID: report.batchID)
                    }
                }
                if rows % 5000 == 0 { progress?(rows, reader.bytesRead) }
            }
            progress?(rows, reader.bytesRead)
        }
        return (rows, warnings)
    }

    /// The set-based part, inside the load's transaction.
    func merge(batch: Int, options: LoadOptions, path: String, rejects: inout RejectsFile, report: inout LoadReport) throws {
        // Temporary tables are never analysed automatically. Without statistics the planner took the staged
        // million rows for a few thousand and looked each one up by index (14 s of a reload at the large scale).
        // Only the columns the merge filters and joins on: statistics on all forty took 0.5 s even for a small file.
        try timed("analyse") {
            try connection.execute("ANALYZE stage (kind, line, evidence_id, school, subject, staff_id, staff_name, activity_date)")
        }
        let duplicateLines = try timed("duplicates") {
            try connection.query(MergeStatements.rejectDuplicates()).map { try $0.decode("line", as: Int.self) }
        }
        if !duplicateLines.isEmpty {
            try addOriginals(of: Set(duplicateLines), path: path, options: options, rejects: &rejects)
        }
        for (kind, statement) in [
            ("school", MergeStatements.createSchools(batch: batch)),
            ("subject", MergeStatements.createSubjects(batch: batch)),
            ("staff member", MergeStatements.createStaff(batch: batch)),
        ] {
            let created = try timed("new \(kind)s") { try connection.query(statement) }
            for row in created {
                let name = try row.decode("name", as: String.self)
                report.warnings.append(ReadWarning(
                    file: report.file, line: nil, column: nil,
                    message: "new \(kind) \"\(name)\" created; if it is a misspelling of an existing one, correct the file and reload"))
            }
        }
        for (step, statement) in [
            ("cohorts", MergeStatements.createCohorts),
            ("resolve", MergeStatements.resolve(source: options.source)),
        ] {
            try timed(step) { try connection.execute(statement) }
        }
        let counts = try timed("count") { try connection.query(MergeStatements.counts).single() }
        report.rowsRead = try counts.decode("read")
        report.rejected = try counts.decode("rejected")
        report.inserted = try counts.decode("inserted")
        report.updated = try counts.decode("updated")
        report.unchanged = try counts.decode("unchanged")
        let newRecords = report.inserted, changedRecords = report.updated
        let total = report.inserted + report.updated + report.unchanged
        // The next seven statements each look only at new or changed records. When most records are unchanged
        // (a nightly reload), an index finds those few instead of each statement scanning the whole file again.
        if (newRecords + changedRecords) * 2 < total {
            try timed("index changes") { try connection.execute("CREATE INDEX ON incoming (change)") }
        }
        for (step, statement) in [
            ("analyse", "ANALYZE incoming (change, evidence_pk)"),
            ("summary changes", MergeStatements.createSummaryChange),
            ("feedback changes", MergeStatements.createFeedbackChange),
            ("triangulation changes", MergeStatements.createTriangulationChange),
        ] {
            try timed(step) { try connection.execute(statement) }
        }
        // Each of these looks only at changed records: with none (an unchanged reload) they would find nothing,
        // after a scan of the stored records each (1.3 s of an unchanged reload at 3 million records).
        if changedRecords > 0 {
            for (step, statement) in [
                ("take away changed", MergeStatements.takeAwayChanged),
                ("take away changed feedback", MergeStatements.takeAwayChangedFeedback),
                ("take away changed triangulation", MergeStatements.takeAwayChangedTriangulation),
                ("history", MergeStatements.keepHistory(batch: batch)),
                ("update", MergeStatements.updateChanged(batch: batch)),
                ("delete ratings", MergeStatements.deleteChangedRatings),
            ] {
                try timed(step) { try connection.execute(statement) }
            }
        }
        var bulk = BulkIndexes(connection: connection)
        let rebuild = try BulkIndexes.worthIt(newRecords: newRecords, threshold: options.bulkIndexThreshold, on: connection)
        if rebuild { try timed("drop indexes") { try bulk.drop() } }
        for (step, statement) in [
            ("insert", MergeStatements.insertNew(source: options.source, batch: batch)),
            ("insert ratings", MergeStatements.insertRatings),
            ("add incoming", MergeStatements.addIncomingRatings),
            ("add incoming feedback", MergeStatements.addIncomingFeedback),
        ] {
            try timed(step) { try connection.execute(statement) }
        }

        if options.snapshot {
            report.withdrawn = try timed("withdraw") {
                try connection.execute(MergeStatements.withdrawAbsent(source: options.source, batch: batch))
            }
            try timed("take away withdrawn") {
                try connection.execute(MergeStatements.takeAwayWithdrawn(batch: batch))
                try connection.execute(MergeStatements.takeAwayWithdrawnFeedback(batch: batch))
                try connection.execute(MergeStatements.takeAwayWithdrawnTriangulation(batch: batch))
            }
        }
        try connection.execute(MergeStatements.saveRejects(batch: batch))
        try connection.execute(MergeStatements.saveRecordWarnings(batch: batch))
        for warning in report.warnings where warning.line == nil {
            try connection.execute("""
                INSERT INTO qa.load_warning (batch_id, line, column_name, message)
                VALUES (\(batch), NULL, \(warning.column), \(warning.message))
                """)
        }
        // The summaries the queries read change only when records do.
        if report.inserted + report.updated + report.withdrawn > 0 {
            try timed("summaries") { try connection.execute(MergeStatements.applySummaryChange) }
            try timed("staff summaries") { try connection.execute(MergeStatements.applyStaffSummaryChange(batch: batch)) }
            try timed("feedback summary") { try connection.execute(MergeStatements.applyFeedbackChange) }
            try timed("triangulation summary") {
                try connection.execute(MergeStatements.applyTriangulationChange(batch: batch))
            }
            try timed("support evidence") {
                try connection.execute(
                    MergeStatements.applySupportEvidenceChange(batch: batch, withdrawn: report.withdrawn > 0))
            }
        }
        if rebuild { try timed("rebuild indexes") { try bulk.restore() } }
    }

    /// Runs one step of the load and logs how long it took (shown with --verbose).
    @discardableResult
    func timed<T>(_ step: String, _ body: () throws -> T) rethrows -> T {
        let started = Date()
        defer {
            logger.debug("load step finished", metadata: ["step": "\(step)", "seconds": "\(String(format1: Date().timeIntervalSince(started)))"])
        }
        return try body()
    }

    /// Rows PostgreSQL rejected (a repeated evidence_id) are found again in the file, so that the rejects
    /// file and table hold them as written.
    func addOriginals(of lines: Set<Int>, path: String, options: LoadOptions, rejects: inout RejectsFile) throws {
        let originals = try OriginalRecords.find(lines: lines, path: path, options: options.read)
        let format = options.read.format ?? InputFormat(path: path) ?? .csv
        for row in try connection.query("SELECT line, reject_column, reject_reason FROM stage WHERE line = ANY(\(Array(lines))::int[]) ORDER BY line") {
            let line: Int = try row.decode("line")
            let fields = originals[line] ?? []
            let reject = Reject(
                file: (path as NSString).lastPathComponent, line: line, column: try row.decode("reject_column"),
                reason: try row.decode("reject_reason"), original: fields)
            onReject?(reject)
            try rejects.write(reject)
            try connection.execute("UPDATE stage SET original = \(StagingTable.withoutNUL(RejectedRow.text(of: reject, format: format))) WHERE line = \(line)")
        }
    }

    func acquireLock(timeout: Double) throws {
        let started = Date()
        try connection.execute(SQL(verbatim: "SET lock_timeout = \(Int(max(timeout, 0) * 1000))"))
        defer { _ = try? connection.execute("SET lock_timeout = 0") }
        do {
            try connection.execute("SELECT pg_advisory_lock(\(Loader.lockKey))")
        } catch let error as PostgresError where error.isLockNotAvailable {
            throw LoadError.lockBusy(waitedSeconds: Date().timeIntervalSince(started))
        }
    }

    /// A batch still "running" while we hold the lock belongs to a load that was killed or lost its
    /// connection: nothing from it was committed, and the batch row says so.
    func markInterruptedLoads() throws {
        try connection.execute("""
            UPDATE qa.load_batch SET status = 'interrupted', finished_at = clock_timestamp(),
                   message = 'the load stopped (killed or disconnected) before it finished; nothing from it was committed'
             WHERE status = 'running'
            """)
    }

    func startBatch(file: String, options: LoadOptions, format: String, digest: FileDigest.Result) throws -> Int {
        try connection.query("""
            INSERT INTO qa.load_batch (source, file_name, file_size, sha256, format, snapshot, dry_run)
            VALUES (\(options.source), \(file), \(digest.bytes), \(digest.sha256), \(format), \(options.snapshot), \(options.dryRun))
            RETURNING batch_id
            """).single().decode("batch_id")
    }

    func recordOutcome(_ report: LoadReport, batch: Int) throws {
        try connection.execute("""
            UPDATE qa.load_batch SET status = \(report.status.rawValue), finished_at = clock_timestamp(),
                   rows_read = \(report.rowsRead), inserted = \(report.inserted), updated = \(report.updated),
                   unchanged = \(report.unchanged), rejected = \(report.rejected), withdrawn = \(report.withdrawn),
                   sha256 = \(report.sha256)
             WHERE batch_id = \(batch)
            """)
    }

    func finishBatch(_ batch: Int, status: String, message: String, report: LoadReport? = nil) throws {
        try connection.execute("""
            UPDATE qa.load_batch SET status = \(status), finished_at = clock_timestamp(), message = \(message),
                   rows_read = \(report?.rowsRead ?? 0), rejected = \(report?.rejected ?? 0),
                   sha256 = coalesce(\(report?.sha256), sha256)
             WHERE batch_id = \(batch)
            """)
    }
}
