import QACore

/// A record that could not be accepted, with enough detail for a school administrator to fix it.
public struct Reject: Sendable, Equatable {
    /// The evidence file's name as given to the reader.
    public var file: String
    /// The physical line (1-based, the header is line 1) on which the record starts.
    public var line: Int
    /// The column as spelt in the file's header; nil when the problem is with the whole row.
    public var column: String?
    public var reason: String
    /// The raw fields as they were in the file (CSV), or the raw line (JSON Lines), so the row can be
    /// written to a rejects file, fixed and reloaded. A field cut short by the length limit holds only its
    /// first `maxFieldBytes` bytes; NUL bytes are dropped.
    public var original: [String]

    public init(file: String, line: Int, column: String?, reason: String, original: [String]) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.original = original
    }
}

/// Something worth telling the user that does not stop a record (or the file) being loaded.
public struct ReadWarning: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?
    public var message: String

    public init(file: String, line: Int?, column: String?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): warning: \(message)"
    }
}

/// What reading one record produced.
public enum ReadOutcome: Sendable {
    case accepted(EvidenceRecord, line: Int, warnings: [ReadWarning])
    case rejected(Reject)
}

/// A problem that stops the whole file being read: it cannot be opened, is empty, is not UTF-8,
/// or its header is unusable.
public struct FileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line, when the problem is at a place in the file.
    public var line: Int?
    /// 1-based byte column within that line.
    public var column: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `evidence.csv:12:7: reason`, the form compilers use, so editors can jump to it.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(reason)"
    }
}
