/// RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line break.
/// RFC 4180 text: the query commands' CSV, and each field of the export's files (QAExport.CSVFile).
public enum CSVText {
    static func render(_ table: ResultTable) -> String {
        String(decoding: bytes(table), as: UTF8.self)
    }

    /// Counted in a first pass, which also quotes the few fields that need it; the second copies the rest as
    /// they are.
    static func bytes(_ table: ResultTable) -> [UInt8] {
        let (formatted, quoted, capacity) = measure(table)
        return ByteWriter.bytes(capacity: capacity) { out in
            var place = 0, next = 0, nextQuoted = 0
            func write(_ text: String) {
                if nextQuoted < quoted.count && quoted[nextQuoted].place == place {
                    out.append(quoted[nextQuoted].text)
                    nextQuoted += 1
                } else {
                    out.append(text)
                }
                place += 1
            }
            func endLine() {
                out.append(UInt8(ascii: "\r"))
                out.append(UInt8(ascii: "\n"))
            }
            for (i, column) in table.columns.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(column.name)
            }
            endLine()
            for row in table.rows {
                for (i, value) in row.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    switch value {
                    case .text(let t): write(t)
                    case .null: place += 1
                    case .integer, .decimal, .list:
                        write(formatted[next])
                        next += 1
                    }
                }
                endLine()
            }
        }
    }

    /// The text of each cell that is neither text nor NULL, in order, made once (formatting a decimal is not free);
    /// the fields that need quotes, quoted, with their place among all the fields (the header's first); and the
    /// bytes the whole takes.
    static func measure(_ table: ResultTable) -> (formatted: [String], quoted: [(place: Int, text: String)], bytes: Int) {
        var formatted: [String] = []
        var quoted: [(place: Int, text: String)] = []
        var bytes = table.columns.count + 2
        var place = 0
        func add(_ text: String) {
            if needsQuotes(text) {
                let q = field(text)
                quoted.append((place, q))
                bytes += q.utf8.count
            } else {
                bytes += text.utf8.count
            }
            place += 1
        }
        for column in table.columns { add(column.name) }
        for row in table.rows {
            bytes += row.count + 2
            for value in row {
                switch value {
                case .text(let t): add(t)
                case .null: place += 1
                case .integer, .decimal, .list:
                    let text = value.description
                    formatted.append(text)
                    add(text)
                }
            }
        }
        return (formatted, quoted, bytes)
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
