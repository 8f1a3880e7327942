/// What one check found.
public struct CheckResult: Sendable, Equatable {
    public var name: String
    public var level: CheckLevel
    public var explanation: String
    /// Every failing row, not only the examples.
    public var failingRows: Int
    /// The examples' column names, in the query's order.
    public var columns: [String]
    /// The first failing rows, as PostgreSQL's text (nil for NULL), each in `columns` order.
    public var examples: [[String?]]

    public init(
        name: String, level: CheckLevel, explanation: String, failingRows: Int, columns: [String], examples: [[String?]]
    ) {
        self.name = name
        self.level = level
        self.explanation = explanation
        self.failingRows = failingRows
        self.columns = columns
        self.examples = examples
    }

    public var passed: Bool { failingRows == 0 }
}

/// Every check's result and what they add up to.
public struct CheckReport: Sendable, Equatable {
    public var results: [CheckResult]

    public init(results: [CheckResult]) { self.results = results }

    /// Error-level checks that failed.
    public var errorsFailed: Int { results.count { !$0.passed && $0.level == .error } }
    /// Warn-level checks that failed.
    public var warningsFailed: Int { results.count { !$0.passed && $0.level == .warn } }

    /// 0 every check passed; 2 only warn-level checks failed; 1 an error-level check failed.
    public var exitCode: Int32 { errorsFailed > 0 ? 1 : warningsFailed > 0 ? 2 : 0 }
}
