/// Why a query could not be answered as asked. The text is written for the person at the command line.
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A filter value that matches nothing in the data, with the closest name there is.
    case noMatch(what: String, value: String, suggestion: String?)
    /// A value that is not of the expected form (`--term winter`, `--standard 13`).
    case invalid(option: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .noMatch(let what, let value, let suggestion):
            let base = "no \(what) named \"\(value)\""
            return suggestion.map { base + "; did you mean \"\($0)\"?" } ?? base
        case .invalid(let option, let value, let expected):
            return "\(option) \"\(value)\" is not valid: \(expected)"
        }
    }
}
