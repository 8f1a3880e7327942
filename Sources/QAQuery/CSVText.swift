/// RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line break.
/// RFC 4180 text: the query commands' CSV, and each field of the export's files (QAExport.CSVFile).
public enum CSVText {
    /// Each value written straight into the output's bytes: no text made per value or array per row. Making them
    /// was a third of the client's time for a large answer (triangulation of a year at 3 million records, 213,000
    /// rows).
    static func write(_ table: ResultTable, into writer: inout ByteWriter) {
        for (i, column) in table.columns.enumerated() {
            if i > 0 { writer.append(UInt8(ascii: ",")) }
            write(column.name, to: &writer.bytes)
        }
        writer.append(UInt8(ascii: "\r"))
        writer.append(UInt8(ascii: "\n"))
        for row in table.rows {
            var first = true
            for value in row {
                if !first { writer.append(UInt8(ascii: ",")) }
                first = false
                switch value {
                case .text(let text): write(text, to: &writer.bytes)
                case .integer(let n): DecimalDigits.append(n, to: &writer.bytes)
                case .decimal(let d, let places): DecimalDigits.append(d, places: places, to: &writer.bytes)
                case .null: break
                case .list(let items): write(items, to: &writer.bytes)
                }
            }
            writer.append(UInt8(ascii: "\r"))
            writer.append(UInt8(ascii: "\n"))
            writer.endRow()
        }
    }

    /// A field's text, quoted where it needs to be.
    static func write(_ text: String, to out: inout [UInt8]) {
        if needsQuotes(text) {
            out.append(contentsOf: field(text).utf8)
        } else {
            out.append(contentsOf: text.utf8)
        }
    }

    /// A list's items joined with ";" (its text), written item by item: a year's cpd-needs flags at 3 million
    /// records (2024/25) list 937,111 evidence ids, and joining them into one text per flag first was an eighth
    /// of the client's time. Quoted as a whole, as that text would be, when any item needs it.
    static func write(_ list: TextList, to out: inout [UInt8]) {
        if let items = list.keptItems, items.contains(where: needsQuotes) {
            out.append(contentsOf: field(list.joined).utf8)
        } else {
            list.appendJoined(to: &out)
        }
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
