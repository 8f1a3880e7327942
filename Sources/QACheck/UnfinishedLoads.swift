import Postgres

extension DataCheck {
    /// Loads that did not commit since the source last loaded successfully: `failed` (an unreadable file,
    /// a server error), `aborted` (more rejected rows than --max-rejects) or `interrupted` (killed or
    /// disconnected). Nothing from them is in the database, so their files still need loading.
    public static let unfinishedLoads = DataCheck(
        name: "unfinished_loads", level: .warn,
        explanation: { _ in
            "a load failed, was aborted or was interrupted after the last successful load of its source; "
                + "its file still needs loading"
        },
        query: { _ in
            SQL(verbatim: """
                SELECT b.batch_id, b.source, b.file_name, b.status, date_trunc('second', b.started_at)::text AS started_at,
                       left(b.message, 200) AS message
                  FROM qa.load_batch b
                 WHERE b.status IN ('failed', 'aborted', 'interrupted')
                   AND b.batch_id > coalesce((SELECT max(s.batch_id) FROM qa.load_batch s
                                               WHERE s.source = b.source AND s.status IN \(successfulStatuses)), 0)
                 ORDER BY b.batch_id
                """)
        })
}
