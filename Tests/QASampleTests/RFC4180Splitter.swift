/// A small RFC 4180 reader written independently of the module under test, working on bytes
/// so that CR LF inside a quoted field stays two characters.
enum RFC4180Splitter {
    enum Failure: Error { case quoteInsideUnquotedField(line: Int), unterminatedQuote }

    static func rows(_ text: String) throws -> [[String]] {
        let bytes = Array(text.utf8)
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var fieldStarted = false
        var line = 1
        var i = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll()
            fieldStarted = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
            } else {
                switch b {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\n"):
                    endField()
                    rows.append(row)
                    row = []
                    line += 1
                case UInt8(ascii: "\""):
                    guard !fieldStarted, field.isEmpty else { throw Failure.quoteInsideUnquotedField(line: line) }
                    inQuotes = true
                    fieldStarted = true
                default:
                    field.append(b)
                }
            }
            i += 1
        }
        if inQuotes { throw Failure.unterminatedQuote }
        if !field.isEmpty || !row.isEmpty || fieldStarted {
            endField()
            rows.append(row)
        }
        return rows
    }
}
