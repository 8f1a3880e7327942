import Postgres

/// How serious a failing check is.
public enum CheckLevel: String, Sendable, CaseIterable {
    /// Worth a look; the data can still be used (`check` exits 2 when only warnings fail).
    case warn
    /// The data or the nightly load cannot be trusted until someone acts (`check` exits 1).
    case error
}

/// The thresholds the checks use.
public struct CheckSettings: Sendable, Equatable {
    /// A source whose last successful load finished longer ago than this is stale.
    public var maxAgeHours: Double
    /// A load whose rows_read is more than this percentage below the previous successful load's is suspicious.
    public var maxDropPercent: Double

    public init(maxAgeHours: Double = 36, maxDropPercent: Double = 20) {
        self.maxAgeHours = maxAgeHours
        self.maxDropPercent = maxDropPercent
    }
}

/// A data-quality check, dbt style: a query that returns the rows that fail it, none when all is well.
///
/// A check's query ends with its own ORDER BY and has no LIMIT: the runner counts every row it returns
/// and shows the first few as examples. Thresholds travel as bound parameters.
public struct DataCheck: Sendable {
    /// A short snake_case name (`load_freshness`), stable for scripts and monitoring.
    public let name: String
    public let level: CheckLevel
    /// What a failing row means, in the settings' own numbers.
    public let explanation: @Sendable (CheckSettings) -> String
    /// The failing rows.
    public let query: @Sendable (CheckSettings) -> SQL

    public init(
        name: String, level: CheckLevel, explanation: @escaping @Sendable (CheckSettings) -> String,
        query: @escaping @Sendable (CheckSettings) -> SQL
    ) {
        self.name = name
        self.level = level
        self.explanation = explanation
        self.query = query
    }
}

extension DataCheck {
    /// Every check, in the order they are run and printed: the loads first, then the evidence.
    public static let all: [DataCheck] = [
        .loadFreshness, .rowCountDrop, .unfinishedLoads,
        .feedbackBeforeActivity, .orphanIDs, .staffAtTwoSchoolsOnOneDay, .tooManyStandardsRated, .unratedEvidence,
    ]

    /// The check with this name, if there is one.
    public static func named(_ name: String) -> DataCheck? { all.first { $0.name == name } }

    /// The load_batch statuses of a load that committed its rows.
    static let successfulStatuses = "('succeeded', 'succeeded_with_rejects')"
}
