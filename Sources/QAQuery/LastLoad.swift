import Postgres

/// The last successful load the data reflects: what an export's manifest records as its "as of".
public struct LastLoad: Sendable, Equatable, Codable {
    public var batchID: Int
    public var source: String
    public var fileName: String
    /// When the load committed, UTC, ISO 8601 (`2025-05-12T02:14:07Z`).
    public var finishedAt: String

    public init(batchID: Int, source: String, fileName: String, finishedAt: String) {
        self.batchID = batchID
        self.source = source
        self.fileName = fileName
        self.finishedAt = finishedAt
    }

    public static let sql: SQL = """
        SELECT batch_id, source, file_name,
               to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS finished_at
          FROM qa.load_batch
         WHERE status IN ('succeeded', 'succeeded_with_rejects') AND NOT dry_run AND finished_at IS NOT NULL
         ORDER BY finished_at DESC, batch_id DESC
         LIMIT 1
        """

    /// The latest successful, non-dry-run load, or nil when none has finished.
    public static func latest(on connection: Connection) throws -> LastLoad? {
        try connection.query(sql).rows.first.map { row in
            LastLoad(
                batchID: try row.decode("batch_id"), source: try row.decode("source"),
                fileName: try row.decode("file_name"), finishedAt: try row.decode("finished_at"))
        }
    }
}
