/// A check report for people: one block per check, its example rows as `column=value` pairs.
///
/// ```
/// FAIL  error  load_freshness: 1 failing row
///       a source's last successful load finished more than 36 hours ago, or it has never loaded successfully
///       source=standards-tracker  last_success=2024-03-12 02:00:04+00  age_hours=49.0
/// ok    warn   row_count_drop: 0 failing rows
/// ```
public enum CheckTextReport {
    public static func render(_ report: CheckReport) -> String {
        var lines: [String] = []
        for result in report.results {
            let verdict = result.passed ? "ok  " : "FAIL"
            let level = result.level.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
            let rows = "\(result.failingRows) failing row\(result.failingRows == 1 ? "" : "s")"
            lines.append("\(verdict)  \(level)  \(result.name): \(rows)")
            guard !result.passed else { continue }
            lines.append("      \(result.explanation)")
            for example in result.examples {
                let pairs = zip(result.columns, example).map { column, value in "\(column)=\(value ?? "NULL")" }
                lines.append("      " + pairs.joined(separator: "  "))
            }
            if result.failingRows > result.examples.count {
                lines.append("      ... and \(result.failingRows - result.examples.count) more")
            }
        }
        lines.append(summary(report))
        return lines.joined(separator: "\n")
    }

    static func summary(_ report: CheckReport) -> String {
        let failed = report.errorsFailed + report.warningsFailed
        if failed == 0 { return "all \(report.results.count) checks passed" }
        return "\(failed) of \(report.results.count) checks failed: \(report.errorsFailed) error, "
            + "\(report.warningsFailed) warn"
    }
}
