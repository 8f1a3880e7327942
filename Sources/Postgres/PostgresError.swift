/// Every failure the PostgreSQL layer reports: a server error with its SQLSTATE, detail and hint,
/// or a client-side problem (connection, a parameter PostgreSQL cannot take, a value that does not decode).
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Could not connect, or the connection was lost.
        case connection
        /// The server refused a statement; `sqlState` says why.
        case server
        /// A bound value cannot be sent (PostgreSQL text cannot hold a NUL character).
        case invalidParameter
        /// A column's value could not be read as the Swift type asked for.
        case decoding
        /// A COPY stream failed or was abandoned.
        case copy
    }

    public var kind: Kind
    /// The five-character SQLSTATE code, e.g. `23505` for a unique violation.
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// The statement that failed (its text only: bound values are never included, so they cannot leak).
    public var statement: String?
    public var constraint: String?

    public init(
        kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        statement: String? = nil, constraint: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.statement = statement
        self.constraint = constraint
    }

    /// The SQLSTATE class: the first two characters of the code.
    public var sqlStateClass: SQLStateClass? { sqlState.map { SQLStateClass(code: $0) } }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isLockNotAvailable: Bool { sqlState == "55P03" }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
        if let hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
        return text
    }
}

/// SQLSTATE classes worth matching on (PostgreSQL manual, appendix A).
public enum SQLStateClass: Sendable, Equatable {
    case connectionException          // 08
    case dataException                // 22
    case integrityConstraintViolation // 23
    case invalidTransactionState      // 25
    case invalidAuthorization         // 28
    case transactionRollback          // 40 (serialization failure, deadlock)
    case syntaxErrorOrAccessRule      // 42 (includes insufficient privilege 42501)
    case insufficientResources        // 53
    case objectNotInPrerequisiteState // 55 (lock not available 55P03)
    case operatorIntervention         // 57 (admin shutdown, query cancelled)
    case other(String)

    public init(code: String) {
        switch code.prefix(2) {
        case "08": self = .connectionException
        case "22": self = .dataException
        case "23": self = .integrityConstraintViolation
        case "25": self = .invalidTransactionState
        case "28": self = .invalidAuthorization
        case "40": self = .transactionRollback
        case "42": self = .syntaxErrorOrAccessRule
        case "53": self = .insufficientResources
        case "55": self = .objectNotInPrerequisiteState
        case "57": self = .operatorIntervention
        default: self = .other(String(code.prefix(2)))
        }
    }
}
