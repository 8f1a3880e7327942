#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes rejected records to `NAME.rejects.csv` next to the evidence file, so a person can open it in
/// Excel, fix the rows and load them again.
///
/// Layout: a UTF-8 byte-order mark (so Excel reads £ and ’ correctly), then a header row
/// `line,column,reason,` followed by the evidence file's own header (JSON Lines: one column `record`
/// holding the raw line), then one row per reject. RFC 4180 quoting, CRLF line ends.
/// To reload fixed rows, delete the first three columns (`line`, `column`, `reason`) and save as CSV.
///
/// `neutraliseFormulas` (default true) puts a single quote before any cell that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, following OWASP's CSV-injection advice, so that
/// opening the file in a spreadsheet cannot run a formula planted in the evidence. The trade-off: the
/// quote becomes part of the cell, so a reloaded row differs from the original (`-2` becomes `'-2`).
/// Turn it off when the file will be reloaded by a program rather than opened in a spreadsheet.
public final class RejectsFileWriter {
    public let path: String
    public let neutraliseFormulas: Bool
    private let stream: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var isClosed = false
    public private(set) var rowsWritten = 0

    /// `data/evidence.csv` → `data/evidence.rejects.csv`; `x.jsonl` → `x.rejects.csv`.
    public static func path(forInput input: String) -> String {
        let slash = input.lastIndex(of: "/")
        let nameStart = slash.map { input.index(after: $0) } ?? input.startIndex
        if let dot = input[nameStart...].lastIndex(of: "."), dot > nameStart {
            return String(input[..<dot]) + ".rejects.csv"
        }
        return input + ".rejects.csv"
    }

    /// Creates (or replaces) the file at `path` and writes its header.
    public init(path: String, originalHeader: [String], neutraliseFormulas: Bool = true) throws(FileProblem) {
        self.path = path
        self.neutraliseFormulas = neutraliseFormulas
        guard let stream = fopen(path, "wb") else {
            throw FileProblem(file: path, reason: "cannot create the rejects file: \(String(cString: strerror(errno)))")
        }
        self.stream = stream
        buffer.reserveCapacity(1 << 16)
        buffer.append(contentsOf: [0xEF, 0xBB, 0xBF])
        appendRow(["line", "column", "reason"] + originalHeader)
    }

    deinit {
        if !isClosed { fclose(stream) }
    }

    public func write(_ reject: Reject) throws(FileProblem) {
        appendRow([String(reject.line), reject.column ?? "", reject.reason] + reject.original, numericFirst: true)
        rowsWritten += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Flushes and closes the file. Further writes are an error.
    public func close() throws(FileProblem) {
        guard !isClosed else { return }
        try flush()
        isClosed = true
        if fclose(stream) != 0 {
            throw FileProblem(file: path, reason: "cannot finish writing the rejects file: \(String(cString: strerror(errno)))")
        }
    }

    private func flush() throws(FileProblem) {
        guard !isClosed else { throw FileProblem(file: path, reason: "the rejects file is already closed") }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stream) }
        guard written == buffer.count, fflush(stream) == 0 else {
            throw FileProblem(file: path, reason: "cannot write the rejects file: \(String(cString: strerror(errno)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// `numericFirst`: the first cell is a line number, written as is.
    private func appendRow(_ cells: [String], numericFirst: Bool = false) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            appendCell(cell, neutralise: neutraliseFormulas && !(numericFirst && i == 0))
        }
        buffer.append(contentsOf: [0x0D, 0x0A])
    }

    private func appendCell(_ cell: String, neutralise: Bool) {
        let utf8 = cell.utf8
        let prefix = neutralise && utf8.first.map(RejectsFileWriter.startsFormula) == true
        let needsQuotes = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
        if needsQuotes { buffer.append(0x22) }
        if prefix { buffer.append(0x27) }
        for byte in utf8 {
            if byte == 0x22 { buffer.append(0x22) }
            buffer.append(byte)
        }
        if needsQuotes { buffer.append(0x22) }
    }

    /// `=`, `+`, `-`, `@`, tab, carriage return.
    private static func startsFormula(_ byte: UInt8) -> Bool {
        byte == 0x3D || byte == 0x2B || byte == 0x2D || byte == 0x40 || byte == 0x09 || byte == 0x0D
    }
}
