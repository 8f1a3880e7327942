import CLibPQ
import Foundation

/// The rows a statement returned. Values are read lazily from libpq's result, so a large result
/// is not copied twice.
public final class QueryResult: Sequence {
    let handle: OpaquePointer
    public let statement: String
    public let rowCount: Int
    public let columnNames: [String]
    let columnIndex: [String: Int]

    init(handle: OpaquePointer, statement: String) {
        self.handle = handle
        self.statement = statement
        rowCount = Int(PQntuples(handle))
        let count = Int(PQnfields(handle))
        columnNames = (0..<count).map { PQfname(handle, Int32($0)).map { String(cString: $0) } ?? "?column?" }
        var index: [String: Int] = [:]
        for (i, name) in columnNames.enumerated() where index[name] == nil { index[name] = i }
        columnIndex = index
    }

    deinit { PQclear(handle) }

    /// Rows affected by an INSERT, UPDATE, DELETE, COPY, ... (0 for others).
    public var affectedRows: Int {
        PQcmdTuples(handle).flatMap { Int(String(cString: $0)) } ?? 0
    }

    public subscript(row: Int) -> Row { Row(result: self, index: row) }

    public func makeIterator() -> AnyIterator<Row> {
        var next = 0
        return AnyIterator { [self] in
            guard next < rowCount else { return nil }
            defer { next += 1 }
            return Row(result: self, index: next)
        }
    }

    public var rows: [Row] { (0..<rowCount).map { Row(result: self, index: $0) } }

    /// The single row of a result that must have exactly one.
    public func single() throws -> Row {
        guard rowCount == 1 else {
            throw PostgresError(
                kind: .decoding, message: "expected exactly one row, got \(rowCount)", statement: statement)
        }
        return self[0]
    }

    /// A column's position, for reading many rows by position; an error names the columns there are.
    public func position(of column: String) throws -> Int {
        guard let i = columnIndex[column] else {
            throw PostgresError(
                kind: .decoding,
                message: "no column \"\(column)\" in the result (columns: \(columnNames.joined(separator: ", ")))",
                statement: statement)
        }
        return i
    }

    func text(row: Int, column: Int) -> String? {
        if PQgetisnull(handle, Int32(row), Int32(column)) != 0 { return nil }
        guard let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        return String(cString: value)
    }

    /// `Int(text(row:column:))` read from the bytes, without making a string.
    func integer(row: Int, column: Int) -> Int? {
        let (r, c) = (Int32(row), Int32(column))
        // NULL has length 0, as has the empty text, and neither is a number: one call for either.
        let count = Int(PQgetlength(handle, r, c))
        guard count > 0, let value = PQgetvalue(handle, r, c) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: value, count: count)
        if count == 1 {
            let digit = bytes[0] &- UInt8(ascii: "0")
            return digit < 10 ? Int(digit) : nil
        }
        var i = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative || bytes[0] == UInt8(ascii: "+") { i = 1 }
        // Accumulated with the sign, so that Int.min reads as Int(_:) reads it.
        var n = 0
        while i < count {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (tens, o1) = n.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? tens.subtractingReportingOverflow(Int(digit)) : tens.addingReportingOverflow(Int(digit))
            guard !o1, !o2 else { return nil }
            n = next
            i += 1
        }
        return n
    }

    /// Turns a libpq result into a `QueryResult`, or the server's error into a `PostgresError`.
    static func check(_ result: OpaquePointer?, connection: Connection, statement: String) throws -> QueryResult {
        guard let result else {
            throw PostgresError(
                kind: .connection, message: Connection.errorText(connection.handle), sqlState: "08006",
                statement: statement)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN:
            return QueryResult(handle: result, statement: statement)
        default:
            let error = serverError(result, connection: connection, statement: statement)
            PQclear(result)
            throw error
        }
    }

    static func serverError(_ result: OpaquePointer, connection: Connection, statement: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue else { return nil }
            return PQresultErrorField(result, Int32(ascii)).map { String(cString: $0) }
        }
        let sqlState = field("C")
        var message = field("M") ?? Connection.errorText(connection.handle)
        while message.last == "\n" { message.removeLast() }
        let lost = PQstatus(connection.handle) != CONNECTION_OK
        return PostgresError(
            kind: lost || sqlState?.hasPrefix("08") == true ? .connection : .server,
            message: lost ? "lost the connection to PostgreSQL (\(connection.location)): \(message)" : message,
            sqlState: sqlState ?? (lost ? "08006" : nil),
            detail: field("D"), hint: field("H"), statement: statement, constraint: field("n")
        )
    }
}

/// One row of a result. Read columns by name or position, as the Swift type you need:
/// `let n: Int = try row.decode("n")`, `let name: String? = try row.decode("name")`.
public struct Row {
    let result: QueryResult
    public let index: Int

    public var columnNames: [String] { result.columnNames }

    /// The column's text as PostgreSQL sent it, or nil for NULL.
    public func text(_ column: String) throws -> String? {
        try result.text(row: index, column: position(of: column))
    }

    public func text(at column: Int) -> String? { result.text(row: index, column: column) }

    /// The column as an integer, read from its bytes without making a string: nil for NULL or text that is not
    /// one (as `Int(text)`). For reading many small numbers by position.
    public func integer(at column: Int) -> Int? { result.integer(row: index, column: column) }

    /// A non-NULL value; NULL or text that is not a `T` is an error naming the column.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let value: T = try decode(column) else {
            throw PostgresError(
                kind: .decoding, message: "column \"\(column)\" is NULL but a \(T.self) was expected",
                statement: result.statement)
        }
        return value
    }

    /// A value that may be NULL.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T?.Type = T?.self) throws -> T? {
        guard let text = try text(column) else { return nil }
        guard let value = T(postgresText: text) else {
            throw PostgresError(
                kind: .decoding,
                message: "column \"\(column)\" holds \"\(text.prefix(60))\", which is not a valid \(T.self)",
                statement: result.statement)
        }
        return value
    }

    /// A non-NULL value by position (see `QueryResult.position(of:)`), for reading many rows.
    public func decode<T: PostgresDecodable>(at column: Int, as type: T.Type = T.self) throws -> T {
        guard let text = text(at: column), let value = T(postgresText: text) else {
            let name = column < result.columnNames.count ? result.columnNames[column] : "#\(column)"
            throw PostgresError(
                kind: .decoding, message: "column \"\(name)\" is NULL or not a valid \(T.self)", statement: result.statement)
        }
        return value
    }

    func position(of column: String) throws -> Int { try result.position(of: column) }
}

/// Reads one column of a result row after row, giving back the string made for an earlier row when the bytes
/// are the same as its: a sorted answer repeats its names row after row, and a name longer than 15 bytes would
/// otherwise be a new string (an allocation) each time.
public struct RepeatedText {
    public let column: Int
    /// The last string made, with the result and bytes it was made from (kept alive by holding the result).
    var last: (result: QueryResult, bytes: UnsafePointer<CChar>, count: Int32, text: String)?

    public init(column: Int) { self.column = column }

    /// `row.text(at: column)`.
    public mutating func text(in row: Row) -> String? {
        let (handle, r, c) = (row.result.handle, Int32(row.index), Int32(column))
        let count = PQgetlength(handle, r, c)
        if let last, last.result === row.result, last.count == count, let value = PQgetvalue(handle, r, c),
           count > 0 ? memcmp(value, last.bytes, Int(count)) == 0 : PQgetisnull(handle, r, c) == 0 {
            return last.text
        }
        guard let text = row.text(at: column), let value = PQgetvalue(handle, r, c) else { return nil }
        last = (row.result, UnsafePointer(value), count, text)
        return text
    }
}
