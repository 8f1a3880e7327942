/// Why a date could not be read.
public enum DateProblem: Error, Equatable, Sendable {
    /// Not in a recognised layout at all.
    case unrecognised
    /// Laid out correctly but the day does not exist (31/02/2023).
    case noSuchDay(year: Int, month: Int, day: Int)
}

extension CalendarDate {
    /// Reads ISO `2023-03-14` (a time part after `T` or a space is ignored) or UK `14/03/2023`.
    /// Slashes always mean day/month/year, never the US month/day order. Two-digit years are refused:
    /// `14/03/23` could be 1923 or 2023 and a wrong guess silently changes a record.
    public static func parse(_ text: some StringProtocol) -> Result<CalendarDate, DateProblem> {
        let trimmed = text.trimmingSpaces()
        var bytes = Array(trimmed.utf8)
        if bytes.count > 10, bytes[4] == UInt8(ascii: "-"),
           bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") {
            bytes = Array(bytes[0..<10])
        }
        func number(_ slice: ArraySlice<UInt8>) -> Int? {
            guard !slice.isEmpty, slice.count <= 4 else { return nil }
            var value = 0
            for b in slice {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        let dash = UInt8(ascii: "-"), slash = UInt8(ascii: "/")
        let parts: [ArraySlice<UInt8>]
        let year: Int?, month: Int?, day: Int?
        if bytes.contains(dash) && !bytes.contains(slash) {
            parts = bytes.split(separator: dash, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count)
            else { return .failure(.unrecognised) }
            (year, month, day) = (number(parts[0]), number(parts[1]), number(parts[2]))
        } else if bytes.contains(slash) && !bytes.contains(dash) {
            parts = bytes.split(separator: slash, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 else {
                return .failure(.unrecognised)
            }
            (year, month, day) = (number(parts[2]), number(parts[1]), number(parts[0]))
        } else {
            return .failure(.unrecognised)
        }
        guard let y = year, let m = month, let d = day else { return .failure(.unrecognised) }
        guard let date = CalendarDate(year: y, month: m, day: d) else {
            return .failure(.noSuchDay(year: y, month: m, day: d))
        }
        return .success(date)
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, line breaks, no-break spaces).
    public func trimmingSpaces() -> Substring {
        let s = Substring(self)
        guard let first = s.firstIndex(where: { !$0.isWhitespace }) else { return s[s.endIndex...] }
        let last = s.lastIndex(where: { !$0.isWhitespace }) ?? first
        return s[first...last]
    }
}
