/// A school year, running from 1 September to 31 August, written `2022/23`.
public struct AcademicYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The calendar year in which the academic year starts (2022 for 2022/23).
    public let startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    public init(containing date: CalendarDate) {
        startYear = date.month >= 9 ? date.year : date.year - 1
    }

    /// Reads `2022/23`, `2022-23`, `2022/2023` or `2022`. The second year must follow the first.
    public init?(parsing text: some StringProtocol) {
        let t = text.trimmingSpaces()
        let parts = t.split(whereSeparator: { $0 == "/" || $0 == "-" })
        guard let first = parts.first, first.count == 4, first.allSatisfy(\.isASCIIDigit), let start = Int(first),
              (2000...2999).contains(start) else { return nil }
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isASCIIDigit), let second = Int(parts[1]) else { return nil }
            let expected = parts[1].count == 2 ? (start + 1) % 100 : start + 1
            guard second == expected else { return nil }
        } else if parts.count != 1 {
            return nil
        }
        startYear = start
    }

    public var description: String {
        let next = (startYear + 1) % 100
        return "\(startYear)/\(next < 10 ? "0" : "")\(next)"
    }

    /// 1 September of the start year.
    public var firstDay: CalendarDate {
        CalendarDate(year: startYear, month: 9, day: 1) ?? CalendarDate(daysSinceEpoch: 0)
    }

    /// 31 August of the following year: the day before the next academic year's first day.
    public var lastDay: CalendarDate { AcademicYear(startYear: startYear + 1).firstDay.adding(days: -1) }

    public static func < (a: AcademicYear, b: AcademicYear) -> Bool { a.startYear < b.startYear }
}

/// The three terms of the school year. Default dates: autumn September–December,
/// spring January–March, summer April–August; a trust's own calendar can override them.
public enum Term: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case autumn, spring, summer

    public init(defaultFor date: CalendarDate) {
        switch date.month {
        case 9...12: self = .autumn
        case 1...3: self = .spring
        default: self = .summer
        }
    }

    public init?(parsing text: some StringProtocol) {
        self.init(rawValue: text.trimmingSpaces().lowercased())
    }

    var order: Int { Term.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Term, b: Term) -> Bool { a.order < b.order }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
