import QAQuery

/// CSV as RFC 4180 in UTF-8: a header row, one row per group, fields quoted where they hold a comma, quote or
/// line break. Suppressed counts and shares are `c`. Text that a spreadsheet would run as a formula (starting
/// with =, +, -, @, tab or CR) is neutralised as OWASP recommends, with a leading apostrophe; numbers are not.
public enum CSVFile {
    public static func render(_ table: ExportTable, excel: Bool) -> String {
        let end = excel ? "\r\n" : "\n"
        var out = excel ? "\u{FEFF}" : ""
        out += table.fileColumns.map { field($0) }.joined(separator: ",") + end
        for i in table.table.rows.indices {
            var cells: [String] = table.columnNames.map { column in
                guard let value = table.shown(i, column) else { return "c" }
                return field(text(value))
            }
            cells.append(table.suppressed[i] ? "true" : "false")
            out += cells.joined(separator: ",") + end
        }
        return out
    }

    /// A cell's text: numbers as they are, text neutralised.
    static func text(_ value: Value) -> String {
        switch value {
        case .integer, .decimal, .null: value.description
        case .text, .list: neutralised(value.description)
        }
    }

    /// Prefixes `'` to text a spreadsheet would read as a formula, unless the text is a plain number.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        if isNumber(text) { return text }
        return "'" + text
    }

    /// `-12`, `+3.5`: an optional sign, digits and at most one decimal point.
    static func isNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard !body.isEmpty, body.filter({ $0 == "." }).count <= 1, body.first != ".", body.last != "." else { return false }
        return body.allSatisfy { $0 == "." || ("0"..."9").contains($0) }
    }

    static func field(_ text: String) -> String { CSVText.field(text) }
}
