/// An array of row objects, keys in column order, numbers as JSON numbers, NULL as null.
/// JSON text for result values; `<` is escaped too, so the text is safe inside an HTML <script> block.
public enum JSONText {
    /// One pass, each value written straight into the output's bytes with the member's key (and the ", " before it)
    /// encoded once per column. Joining a string per member and per row was most of the client's time for a large
    /// answer (triangulation of a term at a million records). A first pass that counted the bytes to reserve them
    /// exactly, writing lists and escaped text aside to be copied in later, is gone with the one block it sized
    /// (see `QueryOutputOptions.print`).
    static func write(_ table: ResultTable, into out: inout ByteWriter) {
        guard !table.rows.isEmpty else {
            out.append("[]\n")
            return
        }
        let keys = table.columns.enumerated().map { i, column in
            Array(((i > 0 ? ", " : "") + string(column.name) + ": ").utf8)
        }
        let last = table.rows.count - 1
        out.append("[\n")
        for (r, row) in table.rows.enumerated() {
            out.append("  {")
            for (key, value) in zip(keys, row) {
                out.append(key)
                append(value, to: &out.bytes)
            }
            out.append(r < last ? "},\n" : "}\n")
            out.endRow()
        }
        out.append("]\n")
    }

    /// `json(value)`'s bytes: text and lists without making a string when nothing needs escaping.
    static func append(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .text(let t): appendString(t, to: &out)
        case .integer(let i): DecimalDigits.append(i, to: &out)
        case .decimal(let d, _): out.append(contentsOf: (d.isFinite ? value.description : "null").utf8)
        case .list(let items): items.appendJSON(to: &out)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    /// `string(text)`'s bytes, appended without making a string when nothing needs escaping.
    /// The text's own bytes are looked at and copied in place where it has them (as a native string does).
    static func appendString(_ text: String, to out: inout [UInt8]) {
        let written = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !needsEscape(bytes) else { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if written == true { return }
        out.append(contentsOf: string(text).utf8)
    }

    static func needsEscape(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(needsEscape) ?? text.utf8.contains(where: needsEscape)
    }

    static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains(where: needsEscape)
    }

    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<")
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
