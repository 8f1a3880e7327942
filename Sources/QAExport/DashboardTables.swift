import QACore
import QAQuery

/// The dashboard's HTML tables: CPD priorities, feedback timeliness and coverage gaps.
enum DashboardTables {
    static func cell(_ table: ExportTable, _ row: Int, _ column: String) -> String {
        guard let value = table.shown(row, column) else { return "<td class=\"num c\">c</td>" }
        switch value {
        case .integer, .decimal: return "<td class=\"num\" data-column=\"\(column)\">\(value.description)</td>"
        case .null: return "<td class=\"num\">–</td>"
        default: return "<td>\(HTMLText.escape(value.description))</td>"
        }
    }

    static func standardName(_ value: Value?) -> String {
        guard let n = value?.integerValue, let s = Standard(number: n) else { return "" }
        return "\(n) \(HTMLText.escape(s.shortName))"
    }

    static func cpdTrust(_ table: ExportTable) -> String {
        let rows = table.table.rows.indices.filter { table.value($0, "level") == .text("trust") }
        guard !rows.isEmpty else { return "<p class=\"note\">No ratings in scope.</p>" }
        let maxShare = rows.compactMap { table.shown($0, "amber_red_pct")?.doubleValue }.max() ?? 100
        var out = "<table class=\"data\"><thead><tr><th>Rank</th><th>Standard</th><th class=\"num\">n</th><th class=\"num\">Amber+Red</th><th class=\"num\">Amber+Red %</th><th>Share</th></tr></thead><tbody>"
        for i in rows {
            let share = table.shown(i, "amber_red_pct")?.doubleValue
            let bar = share.map { s in
                "<svg width=\"160\" height=\"12\" aria-hidden=\"true\"><rect width=\"\(HTMLText.coordinate(160 * s / max(maxShare, 1)))\" height=\"12\" fill=\"url(#p-amber)\"/></svg>"
            } ?? ""
            out += "<tr data-dataset=\"\(table.name)\" data-level=\"trust\" data-standard=\"\(table.value(i, "standard")?.description ?? "")\">"
                + cell(table, i, "rank") + "<td>\(standardName(table.value(i, "standard")))</td>"
                + cell(table, i, "n") + cell(table, i, "amber_red") + cell(table, i, "amber_red_pct") + "<td>\(bar)</td></tr>"
        }
        return out + "</tbody></table>"
    }

    static func cpdFlags(_ table: ExportTable) -> String {
        let rows = table.table.rows.indices.filter { table.value($0, "level") == .text("subject") || table.value($0, "level") == .text("school") }
        guard !rows.isEmpty else { return "<p class=\"note\">No school or department is over the threshold (or the groups over it are too small to show).</p>" }
        let shown = rows.prefix(25)
        var out = rows.count > shown.count
            ? "<p class=\"note\">The \(shown.count) largest gaps to the trust of \(rows.count); all are in cpd_priorities.csv.</p>" : ""
        out += "<table class=\"data\"><thead><tr><th>Level</th><th>School</th><th>Subject</th><th>Standard</th><th class=\"num\">n</th><th class=\"num\">Amber+Red %</th><th class=\"num\">Trust %</th><th class=\"num\">Gap (pts)</th></tr></thead><tbody>"
        for i in shown {
            out += "<tr data-dataset=\"\(table.name)\">" + cell(table, i, "level") + cell(table, i, "school") + cell(table, i, "subject")
                + "<td>\(standardName(table.value(i, "standard")))</td>" + cell(table, i, "n") + cell(table, i, "amber_red_pct")
                + cell(table, i, "trust_amber_red_pct") + cell(table, i, "gap_pct") + "</tr>"
        }
        return out + "</tbody></table>"
    }

    static func feedback(_ table: ExportTable) -> String {
        guard !table.table.rows.isEmpty else { return "<p class=\"note\">No records in scope.</p>" }
        var out = "<table class=\"data\"><thead><tr><th rowspan=\"2\">School</th><th rowspan=\"2\" class=\"num\">Records</th><th colspan=\"5\" class=\"group\">Verbal (5 working days)</th><th colspan=\"5\" class=\"group\">Written (10 working days)</th></tr><tr>"
        for _ in 0..<2 { out += "<th class=\"num\">On time</th><th class=\"num\">Late</th><th class=\"num\">Missing</th><th class=\"num\">Pending</th><th class=\"num\">Median days</th>" }
        out += "</tr></thead><tbody>"
        for i in table.table.rows.indices {
            out += "<tr data-dataset=\"\(table.name)\" data-school=\"\(HTMLText.escape(table.value(i, "name")?.description ?? ""))\">" + cell(table, i, "name") + cell(table, i, "records")
            for k in ["verbal", "written"] {
                for c in ["on_time", "late", "missing", "pending", "median_days"] { out += cell(table, i, "\(k)_\(c)") }
            }
            out += "</tr>"
        }
        return out + "</tbody></table>"
    }

    static func coverage(_ table: ExportTable) -> String {
        guard !table.table.rows.isEmpty else { return "<p class=\"note\">No gaps found.</p>" }
        var deepDives: [String: [String]] = [:], lessonVisits: [String: Int] = [:], never: [String: [String]] = [:]
        var schools: [String] = []
        for i in table.table.rows.indices {
            let gap = table.value(i, "gap")?.description ?? ""
            let school = table.value(i, "school")?.description ?? ""
            let subject = table.value(i, "subject")?.description ?? ""
            if !school.isEmpty && !schools.contains(school) { schools.append(school) }
            switch gap {
            case "no_deep_dive": deepDives[school, default: []].append(subject)
            case "no_lesson_visit": lessonVisits[school] = table.value(i, "count")?.integerValue ?? 0
            default: never[subject, default: []].append(table.value(i, "standard")?.description ?? "")
            }
        }
        var out = "<table class=\"data\"><thead><tr><th>School</th><th class=\"num\">Subjects without a deep dive this year</th><th>Which</th><th class=\"num\">Staff without a lesson visit this term</th></tr></thead><tbody>"
        for school in schools.sorted() {
            let subjects = deepDives[school] ?? []
            out += "<tr data-dataset=\"\(table.name)\" data-school=\"\(HTMLText.escape(school))\"><td>\(HTMLText.escape(school))</td><td class=\"num\">\(subjects.count)</td><td class=\"list\">\(HTMLText.escape(subjects.joined(separator: ", ")))</td><td class=\"num\">\(lessonVisits[school] ?? 0)</td></tr>"
        }
        out += "</tbody></table>"
        if !never.isEmpty {
            out += "<h3>Standards never evidenced, by subject</h3><table class=\"data\"><thead><tr><th>Subject</th><th>Standards</th></tr></thead><tbody>"
            for subject in never.keys.sorted() {
                out += "<tr><td>\(HTMLText.escape(subject))</td><td>\(HTMLText.escape((never[subject] ?? []).joined(separator: ", ")))</td></tr>"
            }
            out += "</tbody></table>"
        }
        return out
    }
}
