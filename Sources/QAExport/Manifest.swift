import Foundation
import QACore
import QAQuery

/// manifest.json: what an export holds, from what data, under which settings, and each file's rows and SHA-256.
struct Manifest {
    static let schemaVersion = 1

    struct FileEntry {
        var path: String
        /// Data rows (the header not counted); nil for the dashboard.
        var rows: Int?
        var sha256: String
    }

    var generatedAt: Date
    var lastLoad: LastLoad?
    var request: ExportRequest
    var containsPersonalData: Bool
    var files: [FileEntry]

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// The filters as (option name, value) for the manifest and the dashboard; only those set.
    static func filters(_ filter: Filter) -> [(String, String)] {
        var out: [(String, String)] = []
        func add(_ key: String, _ value: String?) { if let value { out.append((key, value)) } }
        add("school", filter.school)
        add("subject", filter.subject)
        add("cohort", filter.cohort)
        switch filter.yearGroup {
        case .group(let g)?: add("year_group", g.description)
        case .unspecified?: add("year_group", "unspecified")
        case nil: break
        }
        add("standard", filter.standard.map { String($0.number) })
        add("activity", filter.activity?.words)
        add("staff", filter.staff)
        add("from", filter.from?.iso)
        add("to", filter.to?.iso)
        add("academic_year", filter.academicYear?.description)
        add("term", filter.term?.rawValue)
        return out
    }

    var json: String {
        let s = JSONFile.string
        var lines: [String] = []
        lines.append("  \"schema_version\": \(Self.schemaVersion)")
        lines.append("  \"generated_at\": \(s(Self.timestamp(generatedAt)))")
        if let l = lastLoad {
            lines.append("  \"data_as_of\": {\"finished_at\": \(s(l.finishedAt)), \"batch_id\": \(l.batchID), "
                + "\"source\": \(s(l.source)), \"file_name\": \(s(l.fileName))}")
        } else {
            lines.append("  \"data_as_of\": null")
        }
        lines.append("  \"as_of_date\": \(s(request.asOf.iso))")
        let filters = Self.filters(request.filter).map { "\(s($0.0)): \(s($0.1))" }
        lines.append("  \"filters\": {" + filters.joined(separator: ", ") + "}")
        let k = request.suppressBelow
        lines.append("  \"suppression\": {\"enabled\": \(k > 0), \"suppress_below\": \(k), "
            + "\"rule\": \(s(k > 0 ? "groups with fewer than \(k) distinct staff members or fewer than \(k) ratings show c (CSV) or null (JSON), with secondary suppression" : "off: every group is shown"))}")
        lines.append("  \"cpd\": {\"threshold_pct\": \(HTMLText.number(request.cpdThreshold, places: 1)), \"min_n\": \(request.cpdMinimumRatings)}")
        lines.append("  \"contains_personal_data\": \(containsPersonalData)")
        let entries = files.map { f in
            "    {\"path\": \(s(f.path)), \"rows\": \(f.rows.map(String.init) ?? "null"), \"sha256\": \(s(f.sha256))}"
        }
        lines.append("  \"files\": [\n" + entries.joined(separator: ",\n") + "\n  ]")
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }
}
