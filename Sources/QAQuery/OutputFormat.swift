/// How a query's answer is written.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json

    /// Writes a table in this format. `colour` applies only to `table` (RAGG* columns in their colours).
    public func render(_ table: ResultTable, colour: Bool = false) -> String {
        String(decoding: bytes(table, colour: colour), as: UTF8.self)
    }

    /// `render` as UTF-8 bytes. Every format is written as bytes and never becomes a string: for a year of
    /// triangulation at 3 million records (214,000 rows) the table took 0.93 s built from strings padded, joined
    /// and appended, and takes 0.13 s (CSV 0.24 -> 0.07 s, JSON 0.30 -> 0.14 s).
    public func bytes(_ table: ResultTable, colour: Bool = false) -> [UInt8] {
        ByteWriter.bytes(capacity: (table.rows.count + 1) * max(table.columns.count, 1) * 12) {
            write(table, colour: colour, into: &$0)
        }
    }

    /// `bytes`, handed to `sink` in pieces of about `piece` bytes as they are written (each ends where a row
    /// ends): what the query commands print, so a large answer is not held a second time as one block of text.
    public func write(_ table: ResultTable, colour: Bool = false, piece: Int = 1 << 18,
                      to sink: (UnsafeRawBufferPointer) -> Void) {
        ByteWriter.stream(piece: piece, to: sink) { write(table, colour: colour, into: &$0) }
    }

    func write(_ table: ResultTable, colour: Bool, into out: inout ByteWriter) {
        switch self {
        case .table: TableText.write(table, colour: colour, into: &out)
        case .csv: CSVText.write(table, into: &out)
        case .json: JSONText.write(table, into: &out)
        }
    }
}
