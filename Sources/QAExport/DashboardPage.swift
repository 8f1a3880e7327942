import Foundation
import QAQuery

/// dashboard.html: one self-contained page (styles, script and SVG charts inline; nothing fetched) filled into
/// the template Dashboards/dashboard.html. Every chart is SVG written here from the same tables as the files,
/// so the numbers on the page are the numbers in the JSON.
struct DashboardPage {
    let tables: [ExportTable]
    let request: ExportRequest
    let lastLoad: LastLoad?

    func table(_ name: String) -> ExportTable {
        tables.first { $0.name == name } ?? ExportTable(name: name, table: ResultTable(columns: [], rows: []), measures: [])
    }

    static func embedded(_ name: String) -> String {
        EmbeddedDashboardFiles.files.first { $0.name == name }?.text ?? ""
    }

    var scope: String {
        let asOf = lastLoad.map { "data as of \($0.finishedAt) (load batch \($0.batchID))" } ?? "no successful load recorded"
        let filters = Manifest.filters(request.filter).map { "\($0.0.replacingOccurrences(of: "_", with: " ")) \($0.1)" }
        let k = request.suppressBelow
        let suppression = k > 0 ? "groups under \(k) staff or \(k) ratings suppressed (c)" : "suppression off"
        return [asOf, filters.isEmpty ? "whole trust, all dates" : filters.joined(separator: ", "), suppression]
            .map(HTMLText.escape).joined(separator: " · ")
    }

    func section(_ id: String, _ title: String, _ lead: String, _ body: String) -> String {
        "<section class=\"page\" id=\"\(id)\"><div class=\"scope\">\(scope)</div><h2>\(HTMLText.escape(title))</h2>"
            + (lead.isEmpty ? "" : "<p class=\"lead\">\(lead)</p>") + body + "</section>"
    }

    var schoolPanels: String {
        let schools = table("distribution_by_standard_school")
        // Each school's rows, gathered in one pass over the table.
        var rowsOf: [String: [Int]] = [:]
        for i in schools.table.rows.indices {
            if let n = schools.value(i, "school")?.description { rowsOf[n, default: []].append(i) }
        }
        let names = rowsOf.keys.sorted()
        guard !names.isEmpty else { return "<p class=\"note\">No school in scope.</p>" }
        var out = "<label class=\"menu\">School <select id=\"school-choice\">"
        for (i, name) in names.enumerated() {
            out += "<option value=\"\(i)\">\(HTMLText.escape(name))</option>"
        }
        out += "</select></label>"
        for (i, name) in names.enumerated() {
            let rows = rowsOf[name] ?? []
            out += "<div class=\"school-panel\" data-panel=\"\(i)\"\(i == 0 ? "" : " hidden")><h3>\(HTMLText.escape(name))</h3>"
                + StackedBarChart(table: schools, rows: rows, group: name).svg + "</div>"
        }
        return out
    }

    var content: String {
        let trust = table(DatasetName.trust)
        var out = ""
        out += section(
            "heatmap-schools", "Good or better by standard and school",
            "Each cell: the share of ratings that were Green or Gold, and how many ratings (n). Darker blue is higher.",
            "<div class=\"scroll\">" + HeatmapChart(trust: trust, breakdown: table("distribution_by_standard_school"), dimension: "school").svg + "</div>")
        out += section(
            "heatmap-subjects", "Good or better by standard and subject", "",
            "<div class=\"scroll\">" + HeatmapChart(trust: trust, breakdown: table("distribution_by_standard_subject"), dimension: "subject").svg + "</div>")
        out += section(
            "ragg-trust", "RAGG* ratings by standard: the trust", "Shares of Gold, Green, Amber and Red ratings; n is the number of ratings.",
            StackedBarChart.legend + StackedBarChart(table: trust, rows: Array(trust.table.rows.indices), group: "Trust").svg)
        out += section("ragg-school", "RAGG* ratings by standard: one school", "", StackedBarChart.legend + schoolPanels)
        out += section(
            "trend", "Good or better, term by term", "The share of Green or Gold ratings in each term; n is the number of ratings.",
            TrendChart(table: table(DatasetName.trend)).svg)
        let cpd = table(DatasetName.cpdPriorities)
        out += section(
            "cpd", "CPD priorities",
            "Trust: standards ranked by their Amber+Red share. Schools and departments: standards where the Amber+Red share is at least \(HTMLText.number(request.cpdThreshold, places: 0))% with at least \(request.cpdMinimumRatings) ratings.",
            "<h3>Whole-trust priorities</h3>" + DashboardTables.cpdTrust(cpd) + "<h3>Schools and departments</h3>" + DashboardTables.cpdFlags(cpd))
        out += section(
            "feedback", "Feedback timeliness by school",
            "Verbal feedback is due within 5 working days, written within 10. Missing: not given and overdue as of \(request.asOf.iso); pending: not yet due.",
            DashboardTables.feedback(table(DatasetName.feedback)))
        out += section(
            "coverage", "QA coverage gaps", "As of \(request.asOf.iso): subjects with no deep dive this academic year, staff with no lesson visit this term, standards a subject has never evidenced.",
            DashboardTables.coverage(table(DatasetName.coverage)))
        return out
    }

    var html: String {
        let replacements: [(String, String)] = [
            ("{{style}}", Self.embedded("dashboard.css")),
            ("{{script}}", Self.embedded("dashboard.js")),
            ("{{patterns}}", RatingStyle.definitions),
            ("{{title}}", "Quality assurance dashboard"),
            ("{{scope}}", scope),
            ("{{generated}}", HTMLText.escape(Manifest.timestamp(request.now))),
            ("{{content}}", content),
        ]
        var page = Self.embedded("dashboard.html")
        // Placeholders are replaced in one pass each, in this order, and the filled-in text is never scanned again
        // for the ones before it; user text is escaped, so it cannot contain "{{".
        for (key, value) in replacements { page = page.replacingOccurrences(of: key, with: value) }
        return page
    }
}
