/// How a query's answer is written.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json

    /// Writes a table in this format. `colour` applies only to `table` (RAGG* columns in their colours).
    public func render(_ table: ResultTable, colour: Bool = false) -> String {
        switch self {
        case .table: TableText.render(table, colour: colour)
        case .csv: CSVText.render(table)
        case .json: JSONText.render(table)
        }
    }

    /// `render` as UTF-8 bytes, for writing out: a JSON answer is built as bytes and written without first
    /// becoming a string (checking and copying 36 MB took 0.05 s for a year of cpd-needs at 3 million records).
    public func bytes(_ table: ResultTable, colour: Bool = false) -> [UInt8] {
        switch self {
        case .table, .csv: Array(render(table, colour: colour).utf8)
        case .json: JSONText.bytes(table)
        }
    }
}

/// Aligned columns for a terminal: numbers right-aligned, text left-aligned.
enum TableText {
    static func render(_ table: ResultTable, colour: Bool) -> String {
        let cells = table.rows.map { $0.map(\.description) }
        var widths = table.columns.map { $0.name.count }
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        let numeric = table.columns.indices.map { i in
            table.rows.contains { row in
                if case .integer = row[i] { return true }
                if case .decimal = row[i] { return true }
                return false
            }
        }
        func line(_ values: [String], header: Bool) -> String {
            var parts: [String] = []
            for (i, value) in values.enumerated() {
                let tint = colour ? table.columns[i].rating ?? (header ? nil : cellTint(value)) : nil
                // The last column, left-aligned and plain, is not padded: the padding would only be trimmed
                // again (a column of evidence ids can be thousands of characters wide).
                let last = i == values.count - 1 && !numeric[i] && tint == nil
                let pad = last ? "" : String(repeating: " ", count: max(0, widths[i] - value.count))
                var text = numeric[i] ? pad + value : value + pad
                if let tint { text = tint.ansi + text + "\u{1B}[0m" }
                parts.append(text)
            }
            // No line ends in spaces; they are ASCII, so dropping bytes is safe (and far cheaper than
            // removing Characters one at a time).
            let out = parts.joined(separator: "  ")
            let spaces = out.utf8.reversed().prefix { $0 == UInt8(ascii: " ") }.count
            return spaces == 0 ? out : String(decoding: out.utf8.dropLast(spaces), as: UTF8.self)
        }
        var out = line(table.columns.map(\.name), header: true) + "\n"
        out += line(widths.map { String(repeating: "-", count: $0) }, header: true) + "\n"
        for row in cells { out += line(row, header: false) + "\n" }
        if table.rows.isEmpty { out += "(no rows)\n" }
        return out
    }

    /// A cell that names a rating (triangulation) is shown in its colour.
    static func cellTint(_ text: String) -> RatingTint? {
        switch text {
        case "Gold": .gold
        case "Green": .green
        case "Amber": .amber
        case "Red": .red
        default: nil
        }
    }
}

extension RatingTint {
    var ansi: String {
        switch self {
        case .gold: "\u{1B}[33;1m"
        case .green: "\u{1B}[32m"
        case .amber: "\u{1B}[38;5;208m"
        case .red: "\u{1B}[31m"
        }
    }
}

/// RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line break.
/// RFC 4180 text: the query commands' CSV, and each field of the export's files (QAExport.CSVFile).
public enum CSVText {
    static func render(_ table: ResultTable) -> String {
        var out = table.columns.map { field($0.name) }.joined(separator: ",") + "\r\n"
        for row in table.rows { out += row.map { field($0.description) }.joined(separator: ",") + "\r\n" }
        return out
    }

    public static func field(_ text: String) -> String {
        // Bytes, not Characters: faster on long values (lists of evidence ids), and "\r\n" is one Character that
        // equals neither "\r" nor "\n", so a Character test would leave a line break inside a field unquoted.
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}

/// An array of row objects, keys in column order, numbers as JSON numbers, NULL as null.
/// JSON text for result values; `<` is escaped too, so the text is safe inside an HTML <script> block.
public enum JSONText {
    static func render(_ table: ResultTable) -> String {
        String(decoding: bytes(table), as: UTF8.self)
    }

    static func bytes(_ table: ResultTable) -> [UInt8] {
        guard !table.rows.isEmpty else { return Array("[]\n".utf8) }
        // Written as bytes into one buffer, each key encoded once: joining a string per member and per row
        // was most of the client's time for a large answer (triangulation of a term at a million records).
        let keys = table.columns.map { Array((string($0.name) + ": ").utf8) }
        var out: [UInt8] = Array("[\n".utf8)
        out.reserveCapacity(table.rows.count * table.columns.count * 24)
        for (r, row) in table.rows.enumerated() {
            out.append(contentsOf: "  {".utf8)
            for (i, (key, value)) in zip(keys, row).enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                out.append(contentsOf: key)
                append(value, to: &out)
            }
            out.append(contentsOf: (r < table.rows.count - 1 ? "},\n" : "}\n").utf8)
        }
        out.append(contentsOf: "]\n".utf8)
        return out
    }

    /// `json(value)`'s bytes: text and lists without making a string when nothing needs escaping.
    static func append(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .text(let t): appendString(t, to: &out)
        case .integer(let i): out.append(contentsOf: String(i).utf8)
        case .decimal(let d, _): out.append(contentsOf: (d.isFinite ? value.description : "null").utf8)
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(contentsOf: ", ".utf8) }
                appendString(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    /// `string(text)`'s bytes, appended without making a string when nothing needs escaping.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        guard needsEscape(text) else {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        out.append(contentsOf: string(text).utf8)
    }

    static func needsEscape(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "<") }
    }

    public static func json(_ value: Value) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func string(_ text: String) -> String {
        // Most values (names, ids) need no escape: quoted as they are, without rebuilding them scalar by
        // scalar (the largest cost of a JSON answer with a million evidence ids).
        if !needsEscape(text) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

