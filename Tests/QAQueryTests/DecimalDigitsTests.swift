@testable import QAQuery
import Testing

@Suite struct DecimalDigitsTests {
    /// An integer's digits are `String(n)`'s, at every length, for negatives and both extremes.
    @Test func anIntegersDigitsAreWrittenAsStringWritesThem() {
        var numbers = [0, 1, -1, 9, 10, -10, 99, 100, 999, 1000, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        while power <= Int.max / 10 {
            power *= 10
            numbers += [power - 1, power, power + 1, -(power - 1), -power]
        }
        for n in numbers {
            var out: [UInt8] = []
            DecimalDigits.append(n, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(n))
        }
    }

    /// JSON writes integers with these digits, beside escaped text, decimals and lists, in one pass.
    @Test func jsonWritesIntegersAsDigits() {
        let rows: [[Value]] = [[.integer(0), .text("a"), .null], [.integer(Int.min), .text("say \"hi\""), .integer(-42)],
                               [.integer(Int.max), .decimal(66.666, places: 1), .list(["EV1", "E<2"])]]
        let table = ResultTable(columns: [Column("n"), Column("t"), Column("x")], rows: rows)
        #expect(OutputFormat.json.render(table) == """
            [
              {"n": 0, "t": "a", "x": null},
              {"n": -9223372036854775808, "t": "say \\"hi\\"", "x": -42},
              {"n": 9223372036854775807, "t": 66.7, "x": ["EV1", "E\\u003c2"]}
            ]

            """)
    }
}
