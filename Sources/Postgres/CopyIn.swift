import CLibPQ

extension Connection {
    /// Streams rows into `COPY ... FROM STDIN` (text format). `body` writes rows through the writer,
    /// which sends them in chunks, so memory stays flat however many rows there are.
    /// If `body` throws, the COPY is abandoned (nothing it sent is kept) and the error is rethrown.
    /// Returns the number of rows the server copied.
    @discardableResult
    public func copyIn(_ sql: SQL, _ body: (inout CopyWriter) throws -> Void) throws -> Int {
        let started = try query(sql)
        guard PQresultStatus(started.handle) == PGRES_COPY_IN else {
            throw PostgresError(kind: .copy, message: "the statement did not start a COPY FROM STDIN", statement: sql.text)
        }
        var writer = CopyWriter(connection: self)
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(handle, "abandoned by the client: \(error)")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw PostgresError(kind: .copy, message: Connection.errorText(handle), statement: sql.text)
        }
        var copied = 0
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
            } else if failure == nil {
                failure = QueryResult.serverError(result, connection: self, statement: sql.text)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return copied
    }

    func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }
}

/// Writes rows in PostgreSQL's COPY text format: fields separated by tabs, `\N` for NULL,
/// backslash escapes for tab, line feed, carriage return and backslash.
public struct CopyWriter {
    let connection: Connection
    var buffer: [UInt8] = []
    var fieldsInRow = 0
    /// Rows written so far.
    public private(set) var rows = 0
    /// Bytes sent to the server so far.
    public private(set) var bytesSent = 0
    static let chunkSize = 256 * 1024

    init(connection: Connection) {
        self.connection = connection
        buffer.reserveCapacity(CopyWriter.chunkSize + 4096)
    }

    public mutating func field(_ value: String?) throws {
        guard let value else { null(); return }
        separate()
        // Most values need no escape: their bytes are copied in one go (per-byte appends were the loader's
        // largest cost in a profile of a 100,000-record load).
        let copied = value.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: CopyWriter.needsEscape) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        for byte in value.utf8 { try appendEscaped(byte) }
    }

    /// A NULL field.
    public mutating func null() {
        separate()
        buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "N"))
    }

    /// A one-dimensional integer array, `{7,9}`, written straight into the buffer.
    public mutating func field(integers: [Int]) {
        separate()
        buffer.append(UInt8(ascii: "{"))
        for (i, value) in integers.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            appendDigits(value, width: 1)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// A one-dimensional text array, `{"SEND","Key cohort"}`, written straight into the buffer: each element
    /// quoted, `"` and `\` escaped for the array literal, and the result escaped for COPY as `field(_:)` would.
    /// (Rendering the literal as a String first was a seventh of the loader's time.)
    public mutating func field(texts: [String]) throws {
        separate()
        buffer.append(UInt8(ascii: "{"))
        for (i, text) in texts.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                // The array literal escapes " and \ with a backslash; COPY then escapes every backslash again.
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { try appendEscaped(UInt8(ascii: "\\")) }
                try appendEscaped(byte)
            }
            buffer.append(UInt8(ascii: "\""))
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// A date as `YYYY-MM-DD`.
    public mutating func field(year: Int, month: Int, day: Int) {
        separate()
        appendDigits(year, width: 4)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2)
    }

    /// `value` in decimal, zero-padded to at least `width` digits (non-negative values), with no allocation.
    mutating func appendDigits(_ value: Int, width: Int) {
        guard value >= 0 else { buffer.append(contentsOf: String(value).utf8); return }
        var divisor = 1
        var digits = 1
        while divisor <= value / 10 {
            divisor *= 10
            digits += 1
        }
        if digits < width { buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits)) }
        var rest = value
        while divisor > 0 {
            buffer.append(48 + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// One byte of a value in COPY's text form: backslash, tab, line feed and carriage return escaped, NUL refused.
    mutating func appendEscaped(_ byte: UInt8) throws {
        switch byte {
        case 0:
            throw PostgresError(
                kind: .invalidParameter, message: "a value contains a NUL character, which PostgreSQL text cannot store")
        case UInt8(ascii: "\\"): buffer.append(92); buffer.append(92)
        case UInt8(ascii: "\t"): buffer.append(92); buffer.append(UInt8(ascii: "t"))
        case UInt8(ascii: "\n"): buffer.append(92); buffer.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): buffer.append(92); buffer.append(UInt8(ascii: "r"))
        default: buffer.append(byte)
        }
    }

    /// NUL (refused), backslash, tab, line feed and carriage return.
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 0 || byte == 92 || byte == 9 || byte == 10 || byte == 13
    }

    public mutating func field<T: PostgresEncodable>(_ value: T?) throws {
        try field(value?.postgresText ?? nil)
    }

    public mutating func field(_ value: Int) {
        separate()
        buffer.append(contentsOf: String(value).utf8)
    }

    public mutating func endRow() throws {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rows += 1
        if buffer.count >= CopyWriter.chunkSize { try flush() }
    }

    mutating func separate() {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    public mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let status = buffer.withUnsafeBufferPointer { raw in
            raw.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: raw.count) {
                    PQputCopyData(connection.handle, $0, Int32(raw.count))
                }
            } ?? 1
        }
        guard status == 1 else {
            throw PostgresError(
                kind: .connection, message: "COPY failed: \(Connection.errorText(connection.handle))", sqlState: "08006")
        }
        bytesSent += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
