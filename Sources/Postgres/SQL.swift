/// A SQL statement whose user values travel as bound parameters.
///
/// Interpolating a value writes a placeholder (`$1`, `$2`, ...) and keeps the value aside, so
/// `"SELECT * FROM school WHERE name = \(name)"` is safe whatever `name` holds: the safe way is the short way.
/// Identifiers and other SQL text can only be added with `verbatim`, which is for text written in code.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Segment: Sendable {
        case text(String)
        case value(String?)   // the parameter's text form; nil is SQL NULL
    }

    var segments: [Segment] = []

    public init(stringLiteral value: String) { segments = [.text(value)] }

    public init(stringInterpolation: StringInterpolation) { segments = stringInterpolation.segments }

    /// SQL text written in code: identifiers from closed lists, keywords, fragments. Never user input.
    public init(verbatim text: String) { segments = [.text(text)] }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var segments: [Segment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) { segments.append(.text(literal)) }

        /// A value, sent as a bound parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            segments.append(.value(value.postgresText))
        }

        /// An optional value: nil is sent as NULL.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            segments.append(.value(value?.postgresText))
        }

        /// Another SQL fragment, with its own parameters.
        public mutating func appendInterpolation(_ fragment: SQL) { segments += fragment.segments }
    }

    /// Joins fragments with a separator written in code (", ", " AND ").
    public static func joined(_ parts: [SQL], separator: String) -> SQL {
        var out = SQL(verbatim: "")
        for (i, part) in parts.enumerated() {
            if i > 0 { out.segments.append(.text(separator)) }
            out.segments += part.segments
        }
        return out
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var out = lhs
        out.segments += rhs.segments
        return out
    }

    /// The statement text with `$n` placeholders, as sent to the server.
    public var text: String { render().text }

    /// The parameters' text forms, in placeholder order.
    public var parameters: [String?] { render().parameters }

    func render() -> (text: String, parameters: [String?]) {
        var text = ""
        var parameters: [String?] = []
        for segment in segments {
            switch segment {
            case .text(let t): text += t
            case .value(let v):
                parameters.append(v)
                text += "$\(parameters.count)"
            }
        }
        return (text, parameters)
    }

    /// The statement and its parameters, for `--explain` and logs.
    public var description: String {
        let (text, parameters) = render()
        guard !parameters.isEmpty else { return text }
        let shown = parameters.enumerated().map { i, v in "$\(i + 1) = \(v.map { "'\($0)'" } ?? "NULL")" }
        return text + "\n-- parameters: " + shown.joined(separator: ", ")
    }
}

/// Quotes an identifier from a closed list in code (a table, a column) the way PostgreSQL expects.
public func quotedIdentifier(_ name: String) -> String {
    "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
}
