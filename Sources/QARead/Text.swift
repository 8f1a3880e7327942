import QACore

/// Text field clean-up shared by the CSV and JSON Lines readers.
enum Text {
    /// Surrounding whitespace removed; nil when nothing is left. Fast path: most fields start and end
    /// with a visible ASCII character and need no work.
    static func trimmed(_ value: String) -> String? {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return nil }
        if first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return value }
        let trimmed = value.trimmingSpaces()
        return trimmed.isEmpty ? nil : String(trimmed)
    }
}

/// Fast recognition of the common rating spellings before falling back to `Rating(parsing:)`.
enum RatingSpelling {
    static func read(_ value: String) -> Rating? {
        switch value {
        case "G": return .green
        case "A": return .amber
        case "R": return .red
        case "G*": return .gold
        case "Green", "green": return .green
        case "Amber", "amber": return .amber
        case "Red", "red": return .red
        case "Gold", "gold": return .gold
        default: return Rating(parsing: value)
        }
    }
}

/// Fast reading of the two exact date layouts exports use most (`2023-03-14`, `14/03/2023`), before
/// falling back to `CalendarDate.parse` for everything else (times, single-digit days, errors).
enum DateSpelling {
    static func parse(_ text: String) -> Result<CalendarDate, DateProblem> {
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        for b in text.utf8 {
            guard count < 10 else { return CalendarDate.parse(text) }
            withUnsafeMutableBytes(of: &bytes) { $0[count] = b }
            count += 1
        }
        guard count == 10 else { return CalendarDate.parse(text) }
        return withUnsafeBytes(of: bytes) { b -> Result<CalendarDate, DateProblem> in
            func digits(_ from: Int, _ length: Int) -> Int? {
                var value = 0
                for i in from..<(from + length) {
                    let d = b[i] &- 0x30
                    guard d < 10 else { return nil }
                    value = value * 10 + Int(d)
                }
                return value
            }
            let parts: (Int?, Int?, Int?)
            if b[4] == 0x2D, b[7] == 0x2D {
                parts = (digits(0, 4), digits(5, 2), digits(8, 2))
            } else if b[2] == 0x2F, b[5] == 0x2F {
                parts = (digits(6, 4), digits(3, 2), digits(0, 2))
            } else {
                return CalendarDate.parse(text)
            }
            guard let year = parts.0, let month = parts.1, let day = parts.2 else { return CalendarDate.parse(text) }
            guard let date = CalendarDate(year: year, month: month, day: day) else {
                return .failure(.noSuchDay(year: year, month: month, day: day))
            }
            return .success(date)
        }
    }
}
