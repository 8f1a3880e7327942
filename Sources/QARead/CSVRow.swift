/// One CSV record as parsed, before any evidence rules are applied.
public struct CSVRow: Sendable, Equatable {
    /// The physical line (1-based) on which the record starts.
    public var line: Int
    /// The fields, unquoted, with doubled quotes made single. Holds at most `maxFields` fields, each at
    /// most `maxFieldBytes` bytes long.
    public var fields: [String]
    /// How many fields the record really had (more than `fields.count` when it had too many).
    public var fieldCount: Int
    /// Why the record cannot be trusted as parsed, if it cannot.
    public var problem: CSVRowProblem?

    public init(line: Int, fields: [String], fieldCount: Int? = nil, problem: CSVRowProblem? = nil) {
        self.line = line
        self.fields = fields
        self.fieldCount = fieldCount ?? fields.count
        self.problem = problem
    }
}

/// A structural problem with one CSV record. The parser reports the most serious one.
public enum CSVRowProblem: Sendable, Equatable {
    /// The file ended inside a quoted field that opened on this line.
    case unclosedQuote(openedOnLine: Int)
    /// More fields than the limit; the extra ones were not kept.
    case tooManyFields(count: Int, limit: Int)
    /// The whole record is longer than the limit in bytes; the rest was not kept.
    case recordTooLong(limit: Int)
    /// The field at this 0-based index is longer than the limit in bytes; the rest was not kept.
    case fieldTooLong(index: Int, limit: Int)
    /// The field at this 0-based index holds a NUL byte (dropped from the field).
    case nulByte(index: Int)
}
