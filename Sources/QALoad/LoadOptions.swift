import QARead

/// How a file is loaded.
public struct LoadOptions: Sendable {
    /// The system the records come from; records are identified by (source, evidence_id).
    public var source: String
    /// Records of this source that the file no longer lists are marked withdrawn (never deleted).
    public var snapshot: Bool
    /// Validate and report, including what would be inserted or updated, then roll everything back.
    public var dryRun: Bool
    /// More rejected rows than this aborts the whole file: a wrong file must not half-load.
    public var maxRejects: RejectLimit
    /// How long to wait for another load to finish before giving up (seconds).
    public var lockTimeout: Double
    /// Where rejected rows are written; nil: `NAME.rejects.csv` next to the input.
    public var rejectsPath: String?
    public var read: ReadOptions
    /// A load adding at least this many new records (and at least as many as are stored) rebuilds the
    /// evidence and rating indexes after inserting instead of maintaining them row by row.
    public var bulkIndexThreshold: Int

    public init(
        source: String = "standards-tracker", snapshot: Bool = false, dryRun: Bool = false,
        maxRejects: RejectLimit = .percent(10), lockTimeout: Double = 300, rejectsPath: String? = nil,
        read: ReadOptions, bulkIndexThreshold: Int = 100_000
    ) {
        self.bulkIndexThreshold = bulkIndexThreshold
        self.source = source
        self.snapshot = snapshot
        self.dryRun = dryRun
        self.maxRejects = maxRejects
        self.lockTimeout = lockTimeout
        self.rejectsPath = rejectsPath
        self.read = read
    }
}

/// `--max-rejects N` or `--max-rejects P%`.
public enum RejectLimit: Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    public init?(parsing text: String) {
        let t = text.trimmingSpaces()
        if t.hasSuffix("%") {
            guard let p = Double(t.dropLast()), p >= 0, p <= 100 else { return nil }
            self = .percent(p)
        } else {
            guard let n = Int(t), n >= 0 else { return nil }
            self = .count(n)
        }
    }

    /// True when `rejected` of `read` rows is over the limit.
    public func isExceeded(rejected: Int, read: Int) -> Bool {
        switch self {
        case .count(let n): rejected > n
        case .percent(let p): read > 0 && Double(rejected) * 100 > p * Double(read)
        }
    }

    public var description: String {
        switch self {
        case .count(let n): "\(n) rows"
        case .percent(let p): "\(p.formatted1)%"
        }
    }
}

extension Double {
    /// One decimal place, without a trailing ".0".
    var formatted1: String {
        let rounded = (self * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
