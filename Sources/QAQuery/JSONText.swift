/// An array of row objects, keys in column order, numbers as JSON numbers, NULL as null.
/// JSON text for result values; `<` is escaped too, so the text is safe inside an HTML <script> block.
public enum JSONText {
    static func render(_ table: ResultTable) -> String {
        String(decoding: bytes(table), as: UTF8.self)
    }

    /// Counted in a first pass, which also writes the values that are neither NULL, an integer nor text needing
    /// no escape (few); the second writes the rest, each key encoded once. Joining a string per member and per
    /// row was most of the client's time for a large answer (triangulation of a term at a million records).
    /// Integers are counted and written as digits (`DecimalDigits`, as CSV writes them), and the count is exact.
    /// (Measured against a String per integer on a year's triangulation at 3 million records, 4 million integers:
    /// no difference beyond the machine's noise, 1.1-2.2 s either way.)
    static func bytes(_ table: ResultTable) -> [UInt8] {
        guard !table.rows.isEmpty else { return Array("[]\n".utf8) }
        let keys = table.columns.map { Array((string($0.name) + ": ").utf8) }
        let (written, capacity) = measure(table, keys: keys)
        return ByteWriter.bytes(capacity: capacity) { out in
            var member = 0, next = 0
            out.append(UInt8(ascii: "["))
            out.append(UInt8(ascii: "\n"))
            for (r, row) in table.rows.enumerated() {
                out.append(UInt8(ascii: " "), times: 2)
                out.append(UInt8(ascii: "{"))
                for (i, (key, value)) in zip(keys, row).enumerated() {
                    if i > 0 {
                        out.append(UInt8(ascii: ","))
                        out.append(UInt8(ascii: " "))
                    }
                    out.append(key)
                    if next < written.count && written[next].member == member {
                        out.append(written[next].json)
                        next += 1
                    } else {
                        switch value {
                        case .text(let t):
                            out.append(UInt8(ascii: "\""))
                            out.append(t)
                            out.append(UInt8(ascii: "\""))
                        case .integer(let i): out.append(integer: i)
                        case .null, .decimal, .list: out.append("null")
                        }
                    }
                    member += 1
                }
                out.append(UInt8(ascii: "}"))
                if r < table.rows.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
            }
            out.append(UInt8(ascii: "]"))
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// The JSON of each value that is neither NULL, an integer nor text needing no escape, with its place among all
    /// the members; and the bytes the whole takes.
    static func measure(_ table: ResultTable, keys: [[UInt8]]) -> (written: [(member: Int, json: [UInt8])], bytes: Int) {
        // "[\n", "]\n"; per row "  {", ", " between members, "},\n" (the last "}\n").
        var bytes = 4
        var written: [(member: Int, json: [UInt8])] = []
        var member = 0
        for row in table.rows {
            bytes += 6 + 2 * max(0, min(keys.count, row.count) - 1)
            for (key, value) in zip(keys, row) {
                bytes += key.count
                switch value {
                case .text(let t) where !needsEscape(t): bytes += t.utf8.count + 2
                case .null: bytes += 4
                case .integer(let i): bytes += DecimalDigits.count(i)
                case .text, .decimal, .list:
                    var json: [UInt8] = []
                    append(value, to: &json)
                    bytes += json.count
                    written.append((member, json))
                }
                member += 1
            }
        }
        // The last row has no comma after it.
        return (written, table.rows.isEmpty ? bytes : bytes - 1)
    }

    /// `json(value)`'s bytes: text and lists without making a string when nothing needs escaping.
    static func append(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .text(let t): appendString(t, to: &out)
        case .integer(let i): DecimalDigits.append(i, to: &out)
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
