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

    public static func json(_ value: Value) -> String { JSONText.json(value) }

    public static func string(_ text: String) -> String { JSONText.string(text) }
}
