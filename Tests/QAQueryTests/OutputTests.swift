import QAQuery
import Testing

@Suite struct OutputTests {
    let table = ResultTable(
        columns: [Column("school"), Column("n"), Column("good_or_better_pct", rating: .green), Column("ids")],
        rows: [
            [.text("St Mary's, \"Upper\""), .integer(12), .decimal(66.66666, places: 1), .list(["E1", "E2"])],
            [.text("Oakfield"), .integer(3), .decimal(100, places: 1), .null],
        ])

    @Test func csvFollowsRFC4180() {
        #expect(OutputFormat.csv.render(table)
                == "school,n,good_or_better_pct,ids\r\n\"St Mary's, \"\"Upper\"\"\",12,66.7,E1;E2\r\nOakfield,3,100.0,\r\n")
    }

    /// A Windows line break inside a value is one Character ("\r\n"), equal to neither "\r" nor "\n": the field
    /// must still be quoted, or a spreadsheet would split the row in two.
    @Test func csvQuotesAWindowsLineBreakInsideAValue() {
        let text = ResultTable(columns: [Column("next_steps"), Column("n")], rows: [[.text("Plan\r\nModel"), .integer(1)]])
        #expect(OutputFormat.csv.render(text) == "next_steps,n\r\n\"Plan\r\nModel\",1\r\n")
    }

    @Test func jsonIsAnArrayOfObjectsWithNumbersAsNumbers() {
        #expect(OutputFormat.json.render(table) == """
            [
              {"school": "St Mary's, \\"Upper\\"", "n": 12, "good_or_better_pct": 66.7, "ids": ["E1", "E2"]},
              {"school": "Oakfield", "n": 3, "good_or_better_pct": 100.0, "ids": null}
            ]

            """)
        #expect(OutputFormat.json.render(ResultTable(columns: table.columns, rows: [])) == "[]\n")
    }

    @Test func tablesAlignNumbersRightAndColourOnlyWhenAsked() {
        #expect(OutputFormat.table.render(table) == """
            school               n  good_or_better_pct  ids
            ------------------  --  ------------------  -----
            St Mary's, "Upper"  12                66.7  E1;E2
            Oakfield             3               100.0

            """)
        #expect(!OutputFormat.table.render(table).contains("\u{1B}"))
        #expect(OutputFormat.table.render(table, colour: true).contains("\u{1B}[32m"))
    }
}

/// The formats are written as bytes into one buffer, sized in a first pass: on awkward tables (wide and non-ASCII
/// text, combining marks, values ending in spaces, empty last columns, every kind of value, colours) they write
/// exactly what the string-building code before them wrote, kept here as `Reference`.
@Suite struct OutputBytesTests {
    static let texts = [
        "", " ", "a ", "  ", "Oakfield", "St Mary's, \"Upper\"", "héllo", "日本語", "e\u{301}", "\"\u{301}x", "Gold", "Green",
        "Amber", "Red", "Amber-Green", "x,y", "line\r\nbreak", "a\nb", "cr\r", "<script>", "tab\there", "\u{1}", "back\\slash",
        "🎓 graduate", String(repeating: "long ", count: 30), "Zoë's", "ends with spaces   ",
    ]

    /// A table of `rows` rows from a seeded generator: each column mostly of one kind, with NULLs and strays.
    static func table(seed: UInt64, rows: Int, columns: Int, ratings: Bool) -> ResultTable {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let kinds = (0..<columns).map { _ in next(5) }
        let names = (0..<columns).map { i in i % 3 == 2 ? texts[next(texts.count)] + "\(i)" : "column_\(i)" }
        let tints: [RatingTint?] = [nil, nil, .gold, .green, .amber, .red]
        return ResultTable(
            columns: names.map { Column($0, rating: ratings ? tints[next(tints.count)] : nil) },
            rows: (0..<rows).map { _ in
                kinds.map { kind in
                    let k = next(10) == 0 ? next(5) : kind
                    if next(6) == 0 { return .null }
                    switch k {
                    case 0: return .integer(next(2_000_000) - 1_000_000)
                    case 1: return .decimal([Double(next(100_000)) / 7, -2.5, .infinity, .nan, 0][next(5)], places: next(3))
                    case 2:
                        // As items, or as PostgreSQL's text of an array of them (kept as text when plain).
                        let items = (0..<next(4)).map { _ in texts[next(texts.count)] }
                        return .list(next(2) == 0 ? TextList(items) : TextList(arrayText: Self.arrayText(items)))
                    case 3: return .null
                    default: return .text(texts[next(texts.count)])
                    }
                }
            })
    }

    /// PostgreSQL's text form of a text array: an item quoted where it holds a delimiter, a quote, a backslash or
    /// white space, or is empty or NULL.
    static func arrayText(_ items: [String]) -> String {
        "{" + items.map { item in
            let quoted = item.isEmpty || item.uppercased() == "NULL"
                || item.contains { ",{}\"\\ \t\n\r".contains($0) }
            guard quoted else { return item }
            return "\"" + item.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
    }

    /// CSV writes numbers' digits and lists' items straight into its bytes (DecimalDigits): the same text as the
    /// values' own, for ties, negatives, a negative that rounds to zero, zero, whole numbers, the largest and
    /// smallest integers, and numbers too large, too small or not finite, at every number of places; and for lists
    /// with items that need the whole list quoted.
    @Test func csvWritesNumbersAsTheirOwnText() {
        var values: [Value] = [.integer(0), .integer(-1), .integer(7), .integer(Int.max), .integer(Int.min),
                               .integer(1_000_000), .integer(-987_654_321)]
        let doubles: [Double] = [0, -0.0, 0.05, 0.15, 0.25, 0.35, 2.675, 12.345, 1.005, -0.04, -0.05, -2.5, -12.345, 99.95,
                                 100, 66.66666666666667, 33.333333333333336, 1e14, 9.99e14, 1e15, 1e20, 1e-7, 0.00001,
                                 .infinity, -.infinity, .nan, Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude]
        for places in 0...6 {
            values += doubles.map { .decimal($0, places: places) }
        }
        var seed: UInt64 = 12345
        for _ in 0..<5_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let d = (Double(seed >> 11) / Double(1 << 53) - 0.5) * 2_000
            values.append(.decimal(d, places: Int(seed % 3)))
        }
        // Lists: empty, one item, several, and items that need the whole list quoted.
        values += [.list([]), .list(["EV1"]), .list(["EV1", "EV2", "EV3"]), .list(["A,1", "B"]), .list(["say \"hi\"", "x"]),
                   .list(["line\nbreak"]), .list(["", ""]),
                   .list(TextList(arrayText: "{EV1,EV2}")), .list(TextList(arrayText: "{}")), .list(TextList(arrayText: "{\"A,1\",B}"))]
        let table = ResultTable(columns: [Column("v")], rows: values.map { [$0] })
        let expected = "v\r\n" + values.map { CSVText.field($0.description) + "\r\n" }.joined()
        #expect(OutputFormat.csv.render(table) == expected)
    }

    @Test func everyFormatWritesWhatTheStringCodeWrote() {
        var tables = [ResultTable(columns: [], rows: []), ResultTable(columns: [Column("n")], rows: []),
                      ResultTable(columns: [Column("a"), Column("b")], rows: [[.null, .null], [.text(" "), .null]])]
        for seed in 1...200 {
            tables.append(Self.table(seed: UInt64(seed), rows: seed % 7 == 0 ? 0 : 1 + seed % 13, columns: 1 + seed % 6,
                                     ratings: seed % 2 == 0))
        }
        for (n, table) in tables.enumerated() {
            #expect(OutputFormat.table.render(table) == Reference.table(table, colour: false), "table \(n)")
            #expect(OutputFormat.table.render(table, colour: true) == Reference.table(table, colour: true), "colour \(n)")
            #expect(OutputFormat.csv.render(table) == Reference.csv(table), "csv \(n)")
            #expect(OutputFormat.json.render(table) == Reference.json(table), "json \(n)")
            #expect(OutputFormat.table.bytes(table, colour: true) == Array(Reference.table(table, colour: true).utf8))
            for format in OutputFormat.allCases {
                #expect(format.bytes(table) == Array(format.render(table).utf8))
            }
        }
    }

    /// What a command prints is streamed in pieces that end where rows end: put together, they are `bytes`, at any
    /// piece size (one byte: every row is a piece), and no piece but the last is smaller than asked.
    @Test func streamedPiecesPutTogetherAreTheWholeAnswer() {
        var tables = [ResultTable(columns: [Column("n")], rows: []),
                      ResultTable(columns: [Column("a"), Column("b")], rows: [[.text("x  "), .text("y ")], [.null, .text("z")]])]
        for seed in 1...40 {
            tables.append(Self.table(seed: UInt64(seed), rows: 1 + seed % 13, columns: 1 + seed % 6, ratings: seed % 2 == 0))
        }
        for (n, table) in tables.enumerated() {
            for format in OutputFormat.allCases {
                for colour in format == .table ? [false, true] : [false] {
                    let whole = format.bytes(table, colour: colour)
                    for piece in [1, 7, 64, 1 << 18] {
                        var pieces: [[UInt8]] = []
                        format.write(table, colour: colour, piece: piece) { pieces.append(Array($0)) }
                        #expect(pieces.flatMap { $0 } == whole, "\(format) \(n) piece \(piece)")
                        #expect(pieces.dropLast().allSatisfy { $0.count >= piece }, "\(format) \(n) piece \(piece)")
                        // At one byte a piece per row (the first with the header), and JSON's closing "]" after them.
                        if piece == 1 {
                            let rows = max(table.rows.count, 1)
                            #expect(pieces.count == (format == .json && !table.rows.isEmpty ? rows + 1 : rows), "\(format) \(n)")
                        }
                    }
                }
            }
        }
    }
}

/// The formats as they were written before they were written as bytes.
private enum Reference {
    static func table(_ table: ResultTable, colour: Bool) -> String {
        let cells = table.rows.map { $0.map(\.description) }
        var widths = table.columns.map { $0.name.count }
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        let numeric = table.columns.indices.map { i in
            table.rows.contains { row in
                if case .integer = row[i] { return true }
                if case .decimal = row[i] { return true }
                return false
            }
        }
        func tint(_ text: String) -> RatingTint? {
            ["Gold": .gold, "Green": .green, "Amber": .amber, "Red": .red][text]
        }
        func ansi(_ tint: RatingTint) -> String {
            switch tint {
            case .gold: "\u{1B}[33;1m"
            case .green: "\u{1B}[32m"
            case .amber: "\u{1B}[38;5;208m"
            case .red: "\u{1B}[31m"
            }
        }
        func line(_ values: [String], header: Bool) -> String {
            var parts: [String] = []
            for (i, value) in values.enumerated() {
                let tint = colour ? table.columns[i].rating ?? (header ? nil : tint(value)) : nil
                let last = i == values.count - 1 && !numeric[i] && tint == nil
                let pad = last ? "" : String(repeating: " ", count: max(0, widths[i] - value.count))
                var text = numeric[i] ? pad + value : value + pad
                if let tint { text = ansi(tint) + text + "\u{1B}[0m" }
                parts.append(text)
            }
            let out = parts.joined(separator: "  ")
            let spaces = out.utf8.reversed().prefix { $0 == UInt8(ascii: " ") }.count
            return spaces == 0 ? out : String(decoding: out.utf8.dropLast(spaces), as: UTF8.self)
        }
        var out = line(table.columns.map(\.name), header: true) + "\n"
        out += line(widths.map { String(repeating: "-", count: $0) }, header: true) + "\n"
        for row in cells { out += line(row, header: false) + "\n" }
        if table.rows.isEmpty { out += "(no rows)\n" }
        return out
    }

    static func csv(_ table: ResultTable) -> String {
        func field(_ text: String) -> String {
            guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
            return "\"" + text.replacing("\"", with: "\"\"") + "\""
        }
        var out = table.columns.map { field($0.name) }.joined(separator: ",") + "\r\n"
        for row in table.rows { out += row.map { field($0.description) }.joined(separator: ",") + "\r\n" }
        return out
    }

    static func json(_ table: ResultTable) -> String {
        guard !table.rows.isEmpty else { return "[]\n" }
        func value(_ value: Value) -> String {
            switch value {
            case .text(let t): JSONText.string(t)
            case .integer(let i): String(i)
            case .decimal(let d, _): d.isFinite ? value.description : "null"
            case .list(let items): "[" + items.items.map(JSONText.string).joined(separator: ", ") + "]"
            case .null: "null"
            }
        }
        let rows = table.rows.map { row in
            "  {" + zip(table.columns, row).map { JSONText.string($0.name) + ": " + value($1) }.joined(separator: ", ") + "}"
        }
        return "[\n" + rows.joined(separator: ",\n") + "\n]\n"
    }
}
