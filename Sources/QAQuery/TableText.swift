/// Aligned columns for a terminal: numbers right-aligned, text left-aligned.
enum TableText {
    /// What a first pass over the values finds: each column's width, whether it holds numbers (right-aligned)
    /// and only plain ASCII.
    struct Layout {
        /// A column is as wide as its widest value in Characters (what a terminal shows).
        var widths: [Int]
        var numeric: [Bool]
        /// Whether every value of a column is ASCII with no "\r" (as nearly all are): then each byte is a Character,
        /// and a value's width is its byte count, known without a look.
        var plainColumns: [Bool]
        /// The text of each cell that is neither text nor NULL, in row order, made once: formatting a decimal
        /// or joining a list is not free, and the second pass needs the same text again.
        var formatted: [String] = []

        init(_ table: ResultTable) {
            let count = table.columns.count
            widths = table.columns.map { width($0.name) }
            numeric = [Bool](repeating: false, count: count)
            plainColumns = [Bool](repeating: true, count: count)
            for row in table.rows {
                for (i, value) in row.enumerated() where i < count {
                    let text: String
                    switch value {
                    case .text(let t): text = t
                    case .null: continue
                    case .integer, .decimal:
                        numeric[i] = true
                        text = value.description
                        formatted.append(text)
                    case .list:
                        text = value.description
                        formatted.append(text)
                    }
                    let plain = oneBytePerCharacter(text)
                    if !plain { plainColumns[i] = false }
                    widths[i] = max(widths[i], plain ? text.utf8.count : text.count)
                }
            }
        }
    }

    static func write(_ table: ResultTable, colour: Bool, into out: inout ByteWriter) {
        let count = table.columns.count
        let layout = Layout(table)
        let (widths, numeric, plainColumns, formatted) = (layout.widths, layout.numeric, layout.plainColumns, layout.formatted)
        let reset: [UInt8] = Array("\u{1B}[0m".utf8)
        let tints: [RatingTint: [UInt8]] = [
            .gold: Array(RatingTint.gold.ansi.utf8), .green: Array(RatingTint.green.ansi.utf8),
            .amber: Array(RatingTint.amber.ansi.utf8), .red: Array(RatingTint.red.ansi.utf8),
        ]
        // Spaces (padding, the gap between columns) are owed and written only before what follows them: what
        // is still owed at the end of a line is dropped, as no line ends in spaces.
        var owed = 0
        // One cell: padded to its column's width (the last column, left-aligned and plain, is not padded: the
        // padding would only be trimmed again, and a column of evidence ids can be thousands of characters
        // wide).
        func cell(_ value: String, at i: Int, of values: Int, header: Bool) {
            if i > 0 { owed += 2 }
            let tint = colour ? table.columns[i].rating ?? (header ? nil : cellTint(value)) : nil
            let last = i == values - 1 && !numeric[i] && tint == nil
            let pad = last ? 0 : max(0, widths[i] - (!header && plainColumns[i] ? value.utf8.count : width(value)))
            if let tint, let code = tints[tint] {
                out.append(UInt8(ascii: " "), times: owed)
                owed = 0
                out.append(code)
            }
            if numeric[i] { owed += pad }
            if !value.utf8.isEmpty {
                out.append(UInt8(ascii: " "), times: owed)
                owed = 0
                out.append(value)
            }
            if !numeric[i] { owed += pad }
            if tint != nil {
                out.append(UInt8(ascii: " "), times: owed)
                owed = 0
                out.append(reset)
            }
        }
        // A value may end in spaces too: they are ASCII, so dropping bytes is safe.
        func endLine(from start: Int) {
            owed = 0
            out.drop(trailing: UInt8(ascii: " "), downTo: start)
            out.append(UInt8(ascii: "\n"))
        }
        var start = out.count
        for (i, column) in table.columns.enumerated() { cell(column.name, at: i, of: count, header: true) }
        endLine(from: start)
        start = out.count
        for (i, width) in widths.enumerated() {
            cell(String(repeating: "-", count: width), at: i, of: count, header: true)
        }
        endLine(from: start)
        var next = 0
        for row in table.rows {
            start = out.count
            for (i, value) in row.enumerated() {
                switch value {
                case .text(let t): cell(t, at: i, of: row.count, header: false)
                case .null: cell("", at: i, of: row.count, header: false)
                case .integer, .decimal, .list:
                    if i < count {
                        cell(formatted[next], at: i, of: row.count, header: false)
                        next += 1
                    } else {
                        cell(value.description, at: i, of: row.count, header: false)
                    }
                }
            }
            endLine(from: start)
            out.endRow()
        }
        if table.rows.isEmpty {
            for byte in "(no rows)\n".utf8 { out.append(byte) }
        }
    }

    /// Characters a terminal shows for the text: its byte count when each byte is one Character.
    static func width(_ text: String) -> Int {
        oneBytePerCharacter(text) ? text.utf8.count : text.count
    }

    static func oneBytePerCharacter(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(oneBytePerCharacter)
            ?? text.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") }
    }

    /// Whether the bytes are ASCII without a carriage return ("\r\n" is one Character), eight at a time.
    static func oneBytePerCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let (ones, highs, returns): (UInt64, UInt64, UInt64) = (0x0101_0101_0101_0101, 0x8080_8080_8080_8080, 0x0D0D_0D0D_0D0D_0D0D)
        var i = 0
        while i + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if word & highs != 0 { return false }
            // A byte of `word ^ returns` is zero where `word` holds "\r".
            let x = word ^ returns
            if (x &- ones) & ~x & highs != 0 { return false }
            i += 8
        }
        while i < bytes.count {
            if base[i] >= 0x80 || base[i] == UInt8(ascii: "\r") { return false }
            i += 1
        }
        return true
    }

    /// A cell that names a rating (triangulation) is shown in its colour.
    static func cellTint(_ text: String) -> RatingTint? {
        switch text {
        case "Gold": .gold
        case "Green": .green
        case "Amber": .amber
        case "Red": .red
        default: nil
        }
    }
}

extension RatingTint {
    var ansi: String {
        switch self {
        case .gold: "\u{1B}[33;1m"
        case .green: "\u{1B}[32m"
        case .amber: "\u{1B}[38;5;208m"
        case .red: "\u{1B}[31m"
        }
    }
}
