/// A RAGG* rating (policy 7.2). Ordered so that `red < amber < green < gold`;
/// the raw value is the score used for means (Red 1 ... Gold 4).
public enum Rating: Int, CaseIterable, Sendable, Hashable, Comparable, Codable {
    case red = 1
    case amber = 2
    case green = 3
    case gold = 4

    public var score: Int { rawValue }

    /// The policy's code: `G*`, `G`, `A`, `R`.
    public var code: String {
        switch self {
        case .gold: "G*"
        case .green: "G"
        case .amber: "A"
        case .red: "R"
        }
    }

    /// The name as leaders say it: Gold, Green, Amber, Red.
    public var name: String {
        switch self {
        case .gold: "Gold"
        case .green: "Green"
        case .amber: "Amber"
        case .red: "Red"
        }
    }

    /// The lower-case word stored in the database enum `ragg`.
    public var databaseLabel: String { name.lowercased() }

    /// Green or Gold: "good or better" in the trust's reports.
    public var isGoodOrBetter: Bool { self >= .green }

    /// Reads the spellings seen in exports: `G*`, `Gold`, `gold`, `G`, `Green`, `g`, `A`, `Amber`, `R`, `Red`.
    /// Surrounding spaces are ignored. Returns nil for anything else (blank included: blank is "not rated").
    public init?(parsing text: some StringProtocol) {
        var key = ""
        for ch in text where !ch.isWhitespace { key.append(ch) }
        switch key.lowercased() {
        case "g*", "gold", "g+": self = .gold
        case "g", "green": self = .green
        case "a", "amber": self = .amber
        case "r", "red": self = .red
        default: return nil
        }
    }

    /// The phrase used when a value is not a rating, naming every accepted spelling.
    public static let acceptedSpellings = "expected Gold/G*, Green/G, Amber/A or Red/R"

    public static func < (lhs: Rating, rhs: Rating) -> Bool { lhs.rawValue < rhs.rawValue }
}
