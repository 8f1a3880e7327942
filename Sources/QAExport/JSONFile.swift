import QAQuery

/// JSON: an array of row objects with the query's keys in column order and `suppressed`; the counts and
/// shares of a suppressed row are null. Numbers are JSON numbers.
public enum JSONFile {
    public static func render(_ table: ExportTable) -> String {
        guard !table.table.rows.isEmpty else { return "[]\n" }
        var lines: [String] = []
        for i in table.table.rows.indices {
            var members = table.columnNames.map { column in
                string(column) + ": " + (table.shown(i, column).map(json) ?? "null")
            }
            members.append(string("suppressed") + ": " + (table.suppressed[i] ? "true" : "false"))
            lines.append("  {" + members.joined(separator: ", ") + "}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    public static func json(_ value: Value) -> String {
        switch value {
        case .text(let t): string(t)
        case .integer(let i): String(i)
        case .decimal(let d, _): d.isFinite ? value.description : "null"
        case .list(let items): "[" + items.map(string).joined(separator: ", ") + "]"
        case .null: "null"
        }
    }

    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"  // safe inside an HTML <script> block too
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
