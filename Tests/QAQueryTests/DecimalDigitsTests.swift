@testable import QAQuery
import Testing

@Suite struct DecimalDigitsTests {
    /// The bytes counted for an integer are `String(n)`'s, at every length, for negatives and both extremes.
    @Test func anIntegersDigitsAreCountedAsStringWritesThem() {
        var numbers = [0, 1, -1, 9, 10, -10, 99, 100, 999, 1000, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        while power <= Int.max / 10 {
            power *= 10
            numbers += [power - 1, power, power + 1, -(power - 1), -power]
        }
        for n in numbers {
            #expect(DecimalDigits.count(n) == String(n).utf8.count, "\(n)")
            var out: [UInt8] = []
            DecimalDigits.append(n, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(n))
        }
    }

    /// JSON counts its bytes before writing them: the count is exactly what it writes, integers included.
    @Test func jsonCountsExactlyTheBytesItWrites() {
        let rows: [[Value]] = [[.integer(0), .text("a"), .null], [.integer(Int.min), .text("say \"hi\""), .integer(-42)],
                               [.integer(Int.max), .decimal(66.666, places: 1), .list(["EV1", "E<2"])]]
        let table = ResultTable(columns: [Column("n"), Column("t"), Column("x")], rows: rows)
        let keys = table.columns.map { Array((JSONText.string($0.name) + ": ").utf8) }
        #expect(JSONText.measure(table, keys: keys).bytes == JSONText.bytes(table).count)
        #expect(String(decoding: JSONText.bytes(table), as: UTF8.self).contains("\"n\": -9223372036854775808, "))
    }
}
