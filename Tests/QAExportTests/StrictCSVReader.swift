/// An RFC 4180 reader that refuses anything malformed (a quote inside an unquoted field, text after a closing
/// quote, an unterminated quoted field), so a file it reads is one every standard CSV reader reads the same way.
enum StrictCSVReader {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, afterQuote = false, fieldStarted = false
        var scalars = Array(text.unicodeScalars)[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var i = scalars.startIndex
        func endRow() {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
            fieldStarted = false
            afterQuote = false
        }
        while i < scalars.endIndex {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.endIndex && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "," {
                row.append(field)
                field = ""
                fieldStarted = false
                afterQuote = false
            } else if c == "\r" && i + 1 < scalars.endIndex && scalars[i + 1] == "\n" {
                endRow()
                i += 1
            } else if c == "\n" {
                endRow()
            } else if afterQuote {
                throw Malformed(description: "text after a closing quote in row \(rows.count + 1)")
            } else if c == "\"" {
                guard !fieldStarted else { throw Malformed(description: "a quote inside an unquoted field in row \(rows.count + 1)") }
                quoted = true
            } else if c == "\r" {
                throw Malformed(description: "a bare CR in row \(rows.count + 1)")
            } else {
                field.unicodeScalars.append(c)
                fieldStarted = true
            }
            i += 1
        }
        if quoted { throw Malformed(description: "an unterminated quoted field") }
        if !row.isEmpty || !field.isEmpty { endRow() }
        return rows
    }
}
