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
