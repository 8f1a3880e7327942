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
    static func elements(_ literal: String) -> [String?]? {
        let chars = Array(literal.unicodeScalars)
        guard chars.first == "{", chars.last == "}" else { return nil }
        var out: [String?] = []
        var i = 1
        let end = chars.count - 1
        guard i < end else { return [] }
        while i <= end {
            var item = String.UnicodeScalarView()
            var quoted = false
            if chars[i] == "\"" {
                quoted = true
                i += 1
                while i < end, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < end { i += 1 }
                    item.append(chars[i])
                    i += 1
                }
                i += 1
            } else {
                while i < end, chars[i] != "," { item.append(chars[i]); i += 1 }
            }
            let text = String(item)
            out.append(!quoted && text == "NULL" ? nil : text)
            i += 1  // the comma, or past the closing brace
        }
        return out
    }
}
