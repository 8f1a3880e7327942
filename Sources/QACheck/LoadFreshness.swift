import Postgres

extension DataCheck {
    /// Every source's last successful load is recent. A source that has only ever failed, and a database
    /// that has never been loaded at all, fail too: "no data" must not look like "no problems".
    public static let loadFreshness = DataCheck(
        name: "load_freshness", level: .error,
        explanation: { settings in
            "a source's last successful load finished more than \(Hours.text(settings.maxAgeHours)) ago, "
                + "or it has never loaded successfully"
        },
        query: { settings in
            SQL(verbatim: """
                WITH sources AS (
                    SELECT source FROM qa.load_batch WHERE NOT dry_run
                    UNION SELECT source FROM qa.evidence),
                listed AS (
                    SELECT source FROM sources
                    UNION ALL SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM sources)),
                last_success AS (
                    SELECT source, max(finished_at) AS finished_at FROM qa.load_batch
                     WHERE status IN \(successfulStatuses) GROUP BY source)
                SELECT coalesce(l.source, '(no load has ever run)') AS source,
                       coalesce(date_trunc('second', s.finished_at)::text, 'never') AS last_success,
                       round((extract(epoch FROM now() - s.finished_at) / 3600)::numeric, 1) AS age_hours
                  FROM listed l LEFT JOIN last_success s ON s.source = l.source
                 WHERE s.finished_at IS NULL
                    OR s.finished_at < now() - make_interval(secs =>
                """) + " \(settings.maxAgeHours)::float8 * 3600)" + SQL(verbatim: """

                 ORDER BY l.source NULLS FIRST
                """)
        })
}

/// Hours as people write them: `36 hours`, `1.5 hours`, `1 hour`.
enum Hours {
    static func text(_ hours: Double) -> String {
        let shown = hours == hours.rounded() && abs(hours) < 1e15 ? String(Int(hours)) : String(hours)
        return "\(shown) hour\(hours == 1 ? "" : "s")"
    }
}
