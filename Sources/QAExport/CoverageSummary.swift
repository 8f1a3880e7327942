import QAQuery

/// Coverage gaps without names: `no_lesson_visit` is one row per school with the number of staff members
/// (`count`) instead of a row per person; the other gaps are about subjects and standards (`count` 1).
enum CoverageSummary {
    static func table(_ gaps: [CoverageGap]) -> ResultTable {
        var rows: [[Value]] = []
        var staffBySchool: [String: (count: Int, year: String, term: String?)] = [:]
        var schoolOrder: [String] = []
        func opt(_ s: String?) -> Value { s.map(Value.text) ?? .null }
        for g in gaps {
            if g.gap == "no_lesson_visit" {
                let school = g.school ?? "unspecified"
                if staffBySchool[school] == nil { schoolOrder.append(school) }
                staffBySchool[school, default: (0, g.academicYear, g.term)].count += 1
                continue
            }
            rows.append([
                .text(g.gap), opt(g.school), opt(g.subject), .null, g.standard.map(Value.integer) ?? .null,
                .text(g.academicYear), opt(g.term), .integer(1),
            ])
        }
        let staffRows: [[Value]] = schoolOrder.compactMap { school in
            staffBySchool[school].map { s in
                [.text("no_lesson_visit"), .text(school), .null, .null, .null, .text(s.year), opt(s.term), .integer(s.count)]
            }
        }
        let firstStandardGap = rows.firstIndex { $0.first == .text("standard_never_evidenced") } ?? rows.count
        rows.insert(contentsOf: staffRows, at: firstStandardGap)
        return ResultTable(
            columns: ["gap", "school", "subject", "staff", "standard", "academic_year", "term", "count"].map { Column($0) },
            rows: rows)
    }
}
