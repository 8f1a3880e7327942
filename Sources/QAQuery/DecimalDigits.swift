/// Numbers written as ASCII digits straight into a byte array, for output that writes many of them (CSV, JSON): the
/// same text as `String(n)` and `Value.format`, without making a String for each.
enum DecimalDigits {
    /// `String(n)`'s digits.
    static func append(_ n: Int, to out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int.min has one too.
        append(unsigned: n.magnitude, minimumDigits: 1, to: &out)
    }

    /// `Value.format(d, places:)`: `d` rounded to `places` decimals (half away from zero), with exactly that many.
    /// Falls back to `Value.format` where its text could differ: not finite, too large for exact digits, or a
    /// negative number that rounds to zero (which it writes as "-0.0").
    static func append(_ d: Double, places: Int, to out: inout [UInt8]) {
        guard powersOfTen.indices.contains(places), case let power = powersOfTen[places],
              case let scaled = (d * Double(power)).rounded(),
              d.isFinite, scaled.magnitude < 1e15, scaled != 0 || d.sign == .plus else {
            out.append(contentsOf: Value.format(d, places: places).utf8)
            return
        }
        // `Value.format` divides the rounded number by the scale again and prints the double; for a whole number
        // of at most 15 digits that division is exact to the printed digits, so the digits of `scaled` are its.
        let whole = UInt64(scaled.magnitude)
        if scaled < 0 { out.append(UInt8(ascii: "-")) }
        append(unsigned: UInt(whole / power), minimumDigits: 1, to: &out)
        if places > 0 {
            out.append(UInt8(ascii: "."))
            append(unsigned: UInt(whole % power), minimumDigits: places, to: &out)
        }
    }

    /// The scales of the places written here (percentages take 1, mean scores 2); more go to `Value.format`.
    private static let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000]

    /// The digits of `n`, with leading zeros up to `minimumDigits`: written lowest first, then turned round.
    private static func append(unsigned n: UInt, minimumDigits: Int, to out: inout [UInt8]) {
        let start = out.count
        var rest = n
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0 || out.count - start < minimumDigits
        out[start...].reverse()
    }
}
