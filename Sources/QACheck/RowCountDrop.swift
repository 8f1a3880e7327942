import Postgres

extension DataCheck {
    /// The latest successful load of each source read far fewer rows than the one before it: often an
    /// export cut short or filtered by mistake. Only the latest pair is compared, so an old drop that has
    /// since recovered is not reported for ever.
    public static let rowCountDrop = DataCheck(
        name: "row_count_drop", level: .warn,
        explanation: { settings in
            "the latest successful load of a source read more than \(Percent.text(settings.maxDropPercent)) "
                + "fewer rows than the previous successful load of that source"
        },
        query: { settings in
            SQL(verbatim: """
                WITH ranked AS (
                    SELECT source, batch_id, file_name, rows_read,
                           row_number() OVER (PARTITION BY source ORDER BY finished_at DESC, batch_id DESC) AS n
                      FROM qa.load_batch WHERE status IN \(successfulStatuses))
                SELECT latest.source, latest.batch_id, latest.file_name, latest.rows_read,
                       previous.batch_id AS previous_batch_id, previous.rows_read AS previous_rows_read,
                       round(100.0 * (previous.rows_read - latest.rows_read) / previous.rows_read, 1) AS drop_percent
                  FROM ranked latest JOIN ranked previous ON previous.source = latest.source AND previous.n = 2
                 WHERE latest.n = 1 AND previous.rows_read > 0
                   AND (previous.rows_read - latest.rows_read) * 100.0 >
                """) + " \(settings.maxDropPercent)::float8 * previous.rows_read" + SQL(verbatim: """

                 ORDER BY latest.source
                """)
        })
}

/// A percentage as people write it: `20%`, `12.5%`.
enum Percent {
    static func text(_ value: Double) -> String {
        (value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)) + "%"
    }
}
