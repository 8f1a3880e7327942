import QACore

/// Reads filter values typed at the command line, refusing what is not a value of the closed lists
/// (standards, activities, terms) with a suggestion.
public enum FilterParsing {
    /// `5`, `Assessment` or `assessment`.
    public static func standard(_ text: String) throws -> Standard {
        let t = text.trimmedSpaces
        if let n = Int(t), let s = Standard(number: n) { return s }
        if let s = Standard.allCases.first(where: { $0.shortName.lowercased() == t.lowercased() }) { return s }
        let names = Standard.allCases.map(\.shortName)
        throw QueryError.noMatch(what: "standard", value: text, suggestion: EditDistance.suggestion(for: t, among: names))
    }

    public static func activity(_ text: String) throws -> Activity {
        if let a = Activity(parsing: text) { return a }
        let words = Activity.allCases.map(\.words)
        throw QueryError.noMatch(what: "activity", value: text, suggestion: EditDistance.suggestion(for: text, among: words))
    }

    public static func term(_ text: String) throws -> Term {
        if let t = Term(parsing: text) { return t }
        throw QueryError.invalid(option: "--term", value: text, expected: "autumn, spring or summer")
    }

    public static func academicYear(_ text: String) throws -> AcademicYear {
        if let y = AcademicYear(parsing: text) { return y }
        throw QueryError.invalid(option: "--academic-year", value: text, expected: "a year such as 2022/23")
    }

    /// `Y7`, `7`, `Year 7`, `R`, or `unspecified` for records naming no year group.
    public static func yearGroup(_ text: String) throws -> YearGroupChoice {
        if text.trimmedSpaces.lowercased() == "unspecified" { return .unspecified }
        if let g = YearGroup(parsing: text) { return .group(g) }
        throw QueryError.invalid(option: "--year-group", value: text, expected: "R, Y1 to Y13 or unspecified")
    }

    /// An ISO date, `2023-03-14`.
    public static func date(_ text: String, option: String) throws -> CalendarDate {
        let parts = text.trimmedSpaces.split(separator: "-")
        if parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
           let date = CalendarDate(year: y, month: m, day: d) {
            return date
        }
        throw QueryError.invalid(option: option, value: text, expected: "a date as YYYY-MM-DD")
    }
}
