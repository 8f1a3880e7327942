/// RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line break.
/// RFC 4180 text: the query commands' CSV, and each field of the export's files (QAExport.CSVFile).
public enum CSVText {
    static func render(_ table: ResultTable) -> String {
        String(decoding: bytes(table), as: UTF8.self)
    }

    /// Written as bytes into one array reserved from a guess at its size, each field copied once.
    static func bytes(_ table: ResultTable) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((table.rows.count + 1) * max(table.columns.count, 1) * 12)
        func line(_ fields: [String]) {
            for (i, text) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: field(text).utf8)
            }
            out.append(UInt8(ascii: "\r"))
            out.append(UInt8(ascii: "\n"))
        }
        line(table.columns.map(\.name))
        for row in table.rows { line(row.map(\.description)) }
        return out
    }

    public static func field(_ text: String) -> String {
        guard needsQuotes(text) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// Bytes, not Characters: faster on long values (lists of evidence ids), and "\r\n" is one Character that
    /// equals neither "\r" nor "\n", so a Character test would leave a line break inside a field unquoted.
    static func needsQuotes(_ text: String) -> Bool {
        text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
    }
}
