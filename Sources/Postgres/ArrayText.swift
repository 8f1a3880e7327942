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

public enum ArrayText {
    /// The elements of an array literal (nil for NULL), or nil when the text is not an array literal.
    static func elements(_ literal: String) -> [String?]? {
        var out: [String?] = []
        guard forEachElement(of: literal, { out.append($0) }) else { return nil }
        return out
    }

    /// The non-NULL elements of a text array literal, or nil when the text is not an array literal: the
    /// evidence ids of `query cpd-needs`, read without the generic `[Element](postgresText:)`: for the million ids
    /// of a year at 3 million records, that reading was a fifth of the client's CPU time in a profile, most of it
    /// outside the byte scanning.
    public static func texts(_ literal: String) -> [String]? {
        var out: [String] = []
        guard forEachElement(of: literal, { if let text = $0 { out.append(text) } }) else { return nil }
        return out
    }

    /// Calls `body` with each element (nil for NULL) in order; false when the text is not an array literal.
    /// Read as UTF-8 bytes: the delimiters are ASCII and never part of a multi-byte character, and walking
    /// characters cost a second for the million evidence ids of a large `query cpd-needs`.
    static func forEachElement(of literal: String, _ body: (String?) -> Void) -> Bool {
        var literal = literal
        return literal.withUTF8 { bytes -> Bool in
            let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), quote = UInt8(ascii: "\""),
                backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")
            guard bytes.count >= 2, bytes[0] == open, bytes[bytes.count - 1] == close else { return false }
            let end = bytes.count - 1
            var i = 1
            guard i < end else { return true }
            var item: [UInt8] = []
            while i <= end {
                if bytes[i] == quote {
                    item.removeAll(keepingCapacity: true)
                    i += 1
                    while i < end, bytes[i] != quote {
                        if bytes[i] == backslash, i + 1 < end { i += 1 }
                        item.append(bytes[i])
                        i += 1
                    }
                    i += 1
                    body(String(decoding: item, as: UTF8.self))
                } else {
                    // Unquoted: the bytes up to the next comma, as they are; NULL (unquoted) is a NULL element.
                    let start = i
                    while i < end, bytes[i] != comma { i += 1 }
                    let text = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    body(text.elementsEqual("NULL".utf8) ? nil : String(decoding: text, as: UTF8.self))
                }
                i += 1  // the comma, or past the closing brace
            }
            return true
        }
    }
}
