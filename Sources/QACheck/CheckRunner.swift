import Postgres

/// Runs checks against the database and collects what failed.
///
/// Every check reads one snapshot (a read-only, repeatable-read transaction), so a load committing
/// half-way through cannot make two checks disagree.
public struct CheckRunner {
    public let connection: Connection
    /// How many failing rows each result shows.
    public var exampleLimit: Int

    public init(connection: Connection, exampleLimit: Int = 10) {
        self.connection = connection
        self.exampleLimit = max(0, exampleLimit)
    }

    public func run(_ checks: [DataCheck] = DataCheck.all, settings: CheckSettings = CheckSettings()) throws -> CheckReport {
        let results = try connection.transaction {
            try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try checks.map { try run($0, settings: settings) }
        }
        return CheckReport(results: results)
    }

    func run(_ check: DataCheck, settings: CheckSettings) throws -> CheckResult {
        let failing = check.query(settings)
        let count: Int = try connection.query("SELECT count(*) AS failing FROM (" + failing + ") AS failing_rows")
            .single().decode("failing")
        let examples = try connection.query(failing + " LIMIT \(exampleLimit)")
        return CheckResult(
            name: check.name, level: check.level, explanation: check.explanation(settings), failingRows: count,
            columns: examples.columnNames, examples: examples.rows.map { row in
                (0..<examples.columnNames.count).map { row.text(at: $0) }
            })
    }
}
