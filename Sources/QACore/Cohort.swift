/// A group of pupils whose work is being looked at (policy 6.16, 6.17, 6.21): SEND, disadvantaged,
/// boys, girls, key cohort pupils, EAL, or another group a school tracks.
/// Known groups are spelt one way whatever the export said; others keep the school's own words.
public struct Cohort: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let name: String

    public init?(parsing text: some StringProtocol) {
        let trimmed = String(text.trimmingSpaces())
        guard !trimmed.isEmpty else { return nil }
        let key = trimmed.lowercased().filter { $0.isLetter || $0.isNumber }
        name = Cohort.canonical[key] ?? trimmed
    }

    public var description: String { name }
    public static func < (a: Cohort, b: Cohort) -> Bool { a.name < b.name }

    static let canonical: [String: String] = [
        "send": "SEND", "sen": "SEND", "senk": "SEND", "ehcp": "SEND",
        "disadvantaged": "Disadvantaged", "pp": "Disadvantaged", "pupilpremium": "Disadvantaged",
        "nondisadvantaged": "Non-disadvantaged", "nonpp": "Non-disadvantaged",
        "boys": "Boys", "boy": "Boys", "male": "Boys",
        "girls": "Girls", "girl": "Girls", "female": "Girls",
        "keycohort": "Key cohort", "keycohortpupils": "Key cohort", "key": "Key cohort",
        "eal": "EAL", "englishasanadditionallanguage": "EAL",
        "mostable": "Most able", "higherattainers": "Higher attainers", "lowerattainers": "Lower attainers",
    ]

    /// Splits a list such as `SEND;Disadvantaged;Boys` or `SEND, EAL`.
    public static func list(from text: some StringProtocol) -> [Cohort] {
        var seen = Set<Cohort>()
        var out: [Cohort] = []
        for part in text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "|" }) {
            if let c = Cohort(parsing: part), seen.insert(c).inserted { out.append(c) }
        }
        return out
    }
}

/// A year group: Reception (0) and Y1 to Y13.
public struct YearGroup: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let number: Int

    public init?(number: Int) {
        guard (0...13).contains(number) else { return nil }
        self.number = number
    }

    /// Reads `Y7`, `7`, `Year 7`, `yr7`, `R`/`Reception`.
    public init?(parsing text: some StringProtocol) {
        let key = text.lowercased().filter { !$0.isWhitespace }
        if key == "r" || key == "reception" { self.number = 0; return }
        var digits = Substring(key)
        for prefix in ["year", "yr", "y"] where digits.hasPrefix(prefix) {
            digits = digits.dropFirst(prefix.count)
            break
        }
        guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy(\.isASCIIDigit), let n = Int(digits),
              let g = YearGroup(number: n) else { return nil }
        self = g
    }

    public var description: String { number == 0 ? "R" : "Y\(number)" }
    public static func < (a: YearGroup, b: YearGroup) -> Bool { a.number < b.number }
}
