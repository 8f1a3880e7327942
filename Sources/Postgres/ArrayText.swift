extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Reads a one-dimensional array in PostgreSQL's text form, `{a,"b c",NULL}`. NULL elements are
    /// skipped; an element that is not a valid `Element` makes the whole value invalid.
    public init?(postgresText: String) {
        guard let texts = ArrayText.elements(postgresText) else { return nil }
        var out: [Element] = []
        for text in texts {
            guard let text else { continue }
            guard let value = Element(postgresText: text) else { return nil }
            out.append(value)
        }
        self = out
    }
}

enum ArrayText {
    /// The elements of an array literal (nil for NULL), or nil when the text is not an array literal.
    /// Read as UTF-8 bytes: the delimiters are ASCII and never part of a multi-byte character, and walking
    /// characters cost a second for the million evidence ids of a large `query cpd-needs`.
    static func elements(_ literal: String) -> [String?]? {
        var literal = literal
        return literal.withUTF8 { bytes -> [String?]? in
            let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), quote = UInt8(ascii: "\""),
                backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")
            guard bytes.count >= 2, bytes[0] == open, bytes[bytes.count - 1] == close else { return nil }
            let end = bytes.count - 1
            var i = 1
            guard i < end else { return [] }
            var out: [String?] = []
            var item: [UInt8] = []
            while i <= end {
                item.removeAll(keepingCapacity: true)
                var quoted = false
                if bytes[i] == quote {
                    quoted = true
                    i += 1
                    while i < end, bytes[i] != quote {
                        if bytes[i] == backslash, i + 1 < end { i += 1 }
                        item.append(bytes[i])
                        i += 1
                    }
                    i += 1
                } else {
                    let start = i
                    while i < end, bytes[i] != comma { i += 1 }
                    item.append(contentsOf: bytes[start..<i])
                }
                let text = String(decoding: item, as: UTF8.self)
                out.append(!quoted && text == "NULL" ? nil : text)
                i += 1  // the comma, or past the closing brace
            }
            return out
        }
    }
}
