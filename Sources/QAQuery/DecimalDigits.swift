/// Numbers written as ASCII digits straight into a byte array, for output that writes many of them (CSV): the same
/// text as `String(n)` and `Value.format`, without making a String for each.
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
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (d * scale).rounded()
        guard d.isFinite, places >= 0, places <= 4, scaled.magnitude < 1e15, scaled != 0 || d.sign == .plus else {
            out.append(contentsOf: Value.format(d, places: places).utf8)
            return
        }
        // `Value.format` divides the rounded number by the scale again and prints the double; for a whole number
        // of at most 15 digits that division is exact to the printed digits, so the digits of `scaled` are its.
        let whole = UInt64(scaled.magnitude)
        if scaled < 0 { out.append(UInt8(ascii: "-")) }
        var power: UInt64 = 1
        for _ in 0..<places { power *= 10 }
        append(unsigned: UInt(whole / power), minimumDigits: 1, to: &out)
        if places > 0 {
            out.append(UInt8(ascii: "."))
            append(unsigned: UInt(whole % power), minimumDigits: places, to: &out)
        }
    }

    /// The digits of `n`, with leading zeros up to `minimumDigits`.
    private static func append(unsigned n: UInt, minimumDigits: Int, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = n
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0 || count < minimumDigits
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }
}
