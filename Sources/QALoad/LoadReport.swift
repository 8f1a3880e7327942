import QARead

/// What a load did. Every row read is accounted for: `rowsRead == inserted + updated + unchanged + rejected`.
public struct LoadReport: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Every row loaded.
        case succeeded
        /// Loaded, but some rows were rejected (exit 65).
        case succeededWithRejects = "succeeded_with_rejects"
        /// Validated only; nothing written.
        case dryRun = "dry_run"
    }

    public var batchID: Int
    public var file: String
    public var source: String
    public var status: Status
    public var bytes: Int
    public var sha256: String
    public var rowsRead = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    public var withdrawn = 0
    public var warnings: [ReadWarning] = []
    public var rejectsFile: String?
    public var seconds = 0.0

    public var isBalanced: Bool { rowsRead == inserted + updated + unchanged + rejected }

    /// The one-paragraph summary printed at the end of a load.
    public var summary: String {
        let verb = status == .dryRun ? "would load" : "loaded"
        var text = "\(file): \(verb) \(rowsRead) rows: \(inserted) new, \(updated) updated, \(unchanged) unchanged, \(rejected) rejected"
        if withdrawn > 0 { text += ", \(withdrawn) withdrawn" }
        text += " (batch \(batchID), \(String(format1: seconds)) s)"
        if let rejectsFile, rejected > 0 { text += "\nrejected rows and why: \(rejectsFile)" }
        return text
    }
}

/// Why a load did not happen. Nothing from the file is committed in any of these cases.
public enum LoadError: Error, Sendable, CustomStringConvertible {
    /// Another load held the lock for longer than `--lock-timeout` (exit 75).
    case lockBusy(waitedSeconds: Double)
    /// More rows were rejected than `--max-rejects` allows.
    case tooManyRejects(rejected: Int, read: Int, limit: RejectLimit, rejectsFile: String?, batchID: Int)
    /// The file cannot be read at all (unopenable, empty, not UTF-8, unusable header).
    case unreadable(FileProblem, batchID: Int?)

    public var description: String {
        switch self {
        case .lockBusy(let waited):
            "another load is running (it holds the load lock); waited \(String(format1: waited)) s. "
                + "Try again when it has finished, or raise --lock-timeout"
        case .tooManyRejects(let rejected, let read, let limit, let rejectsFile, let batch):
            "aborted: \(rejected) of \(read) rows were rejected, more than --max-rejects \(limit); "
                + "nothing from this file was loaded (batch \(batch))"
                + (rejectsFile.map { ". Rejected rows and why: \($0)" } ?? "")
        case .unreadable(let problem, _):
            "\(problem)"
        }
    }
}

extension String {
    init(format1 value: Double) {
        self = value.formatted1
    }
}
