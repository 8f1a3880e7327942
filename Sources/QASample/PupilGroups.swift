import QACore

/// Year groups and cohorts built once; `YearGroup(number:)` and `Cohort(parsing:)` are failable.
enum PupilGroups {
    static let primaryYears: [YearGroup] = (1...6).compactMap { YearGroup(number: $0) }
    static let secondaryYears: [YearGroup] = (7...13).compactMap { YearGroup(number: $0) }
    /// In the order they are written in a record.
    static let cohorts: [Cohort] = ["SEND", "Disadvantaged", "Boys", "Girls", "Key cohort", "EAL"]
        .compactMap { Cohort(parsing: $0) }
    static let keyCohortIndex = 4
}
