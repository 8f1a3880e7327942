import CLibPQ

/// A message the server sent beside a result: a NOTICE, WARNING or INFO.
public struct PostgresNotice: Sendable {
    public var severity: String
    public var message: String
    public var sqlState: String?
}

/// One connection to a PostgreSQL server, through libpq.
///
/// libpq reads everything PostgreSQL users expect: a connection string or `postgresql://` URI,
/// the `PG*` environment variables, `~/.pgpass` and service files. A connection is used from one
/// thread at a time; it is not `Sendable`.
public final class Connection {
    let handle: OpaquePointer
    private let noticeSink: NoticeSink

    /// Where the server is, for messages: host (or socket directory), port, database and user. Never the password.
    public let location: String

    /// The connection string this connection was opened with, to open another one like it (a second reader
    /// of an export). It may hold a password: never print or log it.
    public let conninfo: String

    /// Connects with a libpq connection string or URI. An empty string means "use the PG* environment".
    public init(_ conninfo: String) throws {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        let location = Connection.describe(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            let raw = Connection.errorText(handle)
            PQfinish(handle)
            throw PostgresError(
                kind: .connection,
                message: "could not connect to PostgreSQL (\(location)): \(Redaction.redact(raw, conninfo: conninfo))",
                sqlState: "08001"
            )
        }
        self.handle = handle
        self.location = location
        self.conninfo = conninfo
        self.noticeSink = NoticeSink()
        PQsetNoticeReceiver(handle, noticeReceiver, Unmanaged.passUnretained(noticeSink).toOpaque())
        // Dates and timestamps come back in one unambiguous text form whatever the server's settings.
        try executeScript("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres'")
    }

    deinit { PQfinish(handle) }

    /// Called for every NOTICE/WARNING/INFO the server sends (e.g. from `RAISE NOTICE` or migrations).
    public var onNotice: ((PostgresNotice) -> Void)? {
        get { noticeSink.handler }
        set { noticeSink.handler = newValue }
    }

    public var user: String { PQuser(handle).map { String(cString: $0) } ?? "" }
    public var database: String { PQdb(handle).map { String(cString: $0) } ?? "" }
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs a statement and returns its rows (empty for commands).
    @discardableResult
    public func query(_ sql: SQL) throws -> QueryResult {
        let (text, parameters) = sql.render()
        for (i, value) in parameters.enumerated() where value?.utf8.contains(0) == true {
            throw PostgresError(
                kind: .invalidParameter,
                message: "value $\(i + 1) contains a NUL character (byte 0), which PostgreSQL text cannot store",
                statement: text
            )
        }
        let result: OpaquePointer? = withCStrings(parameters) { pointers in
            PQexecParams(handle, text, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        return try QueryResult.check(result, connection: self, statement: text)
    }

    /// Runs a statement for its effect; returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try query(sql).affectedRows
    }

    /// Runs a script of several statements with no parameters: for migration files shipped with the
    /// tool, never for text that holds user values.
    public func executeScript(_ script: String) throws {
        let result = PQexec(handle, script)
        _ = try QueryResult.check(result, connection: self, statement: String(script.prefix(200)))
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            // The original error is what matters; a failed rollback means the connection is gone anyway.
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// True while a transaction is open on this connection.
    public var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    static func errorText(_ handle: OpaquePointer) -> String {
        guard let cText = PQerrorMessage(handle) else { return "unknown error" }
        var text = String(cString: cText)
        while text.last == "\n" || text.last == " " { text.removeLast() }
        return text
    }

    static func describe(_ handle: OpaquePointer) -> String {
        func field(_ f: (OpaquePointer?) -> UnsafeMutablePointer<CChar>?) -> String {
            f(handle).map { String(cString: $0) } ?? ""
        }
        let host = field(PQhost)
        let shownHost = host.isEmpty || host.hasPrefix("/") ? "socket \(host.isEmpty ? "default" : host)" : "host \(host)"
        return "\(shownHost) port \(field(PQport)) database \(field(PQdb)) user \(field(PQuser))"
    }
}

/// Passes optional Swift strings to C as a `const char * const *` for the duration of `body`.
func withCStrings<R>(_ values: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = values.map { $0.flatMap { strdup($0) } }
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
        buffer.baseAddress.map { base in
            base.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
        } ?? body(nil)
    }
}

final class NoticeSink {
    var handler: ((PostgresNotice) -> Void)?
}

private func noticeReceiver(_ context: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let context, let result else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
    guard let handler = sink.handler else { return }
    func field(_ code: UInt8) -> String? {
        PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
    }
    handler(PostgresNotice(
        severity: field(UInt8(ascii: "S")) ?? "NOTICE",
        message: field(UInt8(ascii: "M")) ?? "",
        sqlState: field(UInt8(ascii: "C"))
    ))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
