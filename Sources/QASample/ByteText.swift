import QACore

/// Appending text to a byte buffer without building intermediate strings: the writers
/// produce hundreds of megabytes, and `String` interpolation per field would dominate the time.
extension Array where Element == UInt8 {
    mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    mutating func appendByte(_ ascii: Unicode.Scalar) { append(UInt8(ascii: ascii)) }

    /// `yyyy-mm-dd`.
    mutating func appendISO(_ date: CalendarDate) {
        appendDigits(date.year, width: 4)
        append(UInt8(ascii: "-"))
        appendDigits(date.month, width: 2)
        append(UInt8(ascii: "-"))
        appendDigits(date.day, width: 2)
    }

    /// A non-negative number, zero-padded to at least `width` digits.
    mutating func appendDigits(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<Swift.max(1, width) { divisor *= 10 }
        guard value >= 0, value / divisor < 10 else { appendText(String(value)); return }
        var rest = value
        while divisor > 0 {
            append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

/// How ratings are spelt in a file: always the policy codes, or now and then the other
/// spellings found in real exports, chosen by their own seeded generator.
struct RatingSpelling {
    private var rng: SplitMix64?

    static let codes = RatingSpelling(rng: nil)
    static func varied(seed: UInt64) -> RatingSpelling { RatingSpelling(rng: SplitMix64(seed: seed ^ 0x5EED_5EED)) }

    private static let alternatives: [Rating: [String]] = [
        .gold: ["Gold", "gold", "g*", "GOLD"],
        .green: ["Green", "green", "g", "GREEN"],
        .amber: ["Amber", "amber", "a", "AMBER"],
        .red: ["Red", "red", "r", "RED"],
    ]

    mutating func text(for rating: Rating) -> String {
        guard var generator = rng else { return rating.code }
        defer { rng = generator }
        guard generator.chance(0.3), let options = Self.alternatives[rating] else { return rating.code }
        return options[generator.below(options.count)]
    }
}
