import QAQuery

/// Turns the answers into the datasets of an export, with small-group suppression applied (see `Suppression`
/// and docs/EXPORT.md for the linked sets).
struct DatasetBuilder {
    let answers: ExportAnswers
    let minimum: Int
    let includeStaff: Bool

    static let distributionMeasures: Set<String> = [
        "n", "n_staff", "gold", "green", "amber", "red", "gold_pct", "green_pct", "amber_pct", "red_pct", "mean_score",
        "good_or_better_pct",
    ]
    static let trendMeasures: Set<String> = [
        "n", "n_staff", "good_or_better_pct", "amber_red_pct", "good_or_better_change", "amber_red_change",
    ]
    static let cpdMeasures: Set<String> = [
        "n", "red", "amber", "amber_red", "amber_red_pct", "trust_amber_red_pct", "gap_pct", "rank",
    ]
    static let feedbackMeasures: Set<String> = Set(["records"] + ["verbal", "written"].flatMap { k in
        ["on_time", "late", "missing", "pending", "median_days"].map { "\(k)_\($0)" }
    })

    func build() -> [ExportTable] {
        typealias Cell = Suppression.Cell
        var suppression = Suppression(minimum: minimum)

        // Distributions: one cell per row.
        var tables: [String: ExportTable] = [:]
        for (name, _) in DatasetName.distributions {
            guard let (query, rows) = answers.distributions[name] else { continue }
            for (i, r) in rows.enumerated() { suppression.add(Cell(name, i), ratings: r.n, staff: r.nStaff) }
            tables[name] = ExportTable(name: name, table: query.table(rows), measures: Self.distributionMeasures)
        }
        // Under each standard, the trust row and the rows of each breakdown are linked by a sum.
        let trustRows = answers.distributions[DatasetName.trust]?.rows ?? []
        for (t, trust) in trustRows.enumerated() {
            for (name, _) in DatasetName.distributions.dropFirst() {
                let rows = answers.distributions[name]?.rows ?? []
                let children = rows.indices.filter { rows[$0].groups.first == trust.groups.first }.map { Cell(name, $0) }
                suppression.link([Cell(DatasetName.trust, t)] + children)
            }
        }

        // Trend: terms, with distinct staff from a distribution by year and term.
        let termStaff = Dictionary(answers.termStaff.map { ($0.groups.map(\.description).joined(separator: "/"), $0.nStaff ?? 0) }) { a, _ in a }
        let trendRows = answers.trend.rows
        for (i, r) in trendRows.enumerated() {
            suppression.add(Cell(DatasetName.trend, i), ratings: r.n, staff: termStaff["\(r.academicYear)/\(r.term)"] ?? 0)
        }
        // The terms and the standards both add up to every rating in scope.
        suppression.link(trendRows.indices.map { Cell(DatasetName.trend, $0) } + trustRows.indices.map { Cell(DatasetName.trust, $0) })

        // CPD subject rows: every school × subject × standard group is a part of its school × standard cell;
        // groups that are not flagged are not shown: unknown to a reader, like a suppressed one.
        let schoolCells = answers.distributions["distribution_by_standard_school"]?.rows ?? []
        let flagged = Set(answers.cpd.result.subjects.map { "\($0.school)|\($0.subject ?? "unspecified")|\($0.standard)" })
        var subjectCellIndex: [String: Int] = [:]
        for (i, r) in answers.subjectCells.enumerated() {
            let key = r.groups.map(\.description).joined(separator: "|")
            subjectCellIndex[key] = i
            let cell = Cell(DatasetName.cpdSubjectCells, i)
            suppression.add(cell, ratings: r.n, staff: r.nStaff)
            if !flagged.contains(key) { suppression.hide(cell) }
        }
        // The subject cells of each school and standard, found once: searching them all for every school × standard
        // row took 2 s of a 3-million-record export (3,600 rows × 52,000 cells).
        var partsOfSchoolCell: [[GroupValue]: [Int]] = [:]
        for (i, cell) in answers.subjectCells.enumerated() where cell.groups.count == 3 {
            partsOfSchoolCell[[cell.groups[2], cell.groups[0]], default: []].append(i)
        }
        for (s, school) in schoolCells.enumerated() {
            let parts = partsOfSchoolCell[Array(school.groups.prefix(2))] ?? []
            suppression.link([Cell("distribution_by_standard_school", s)] + parts.map { Cell(DatasetName.cpdSubjectCells, $0) })
        }

        // Feedback per school: records, and the distinct staff rated at the school.
        let schoolStaff = Dictionary(answers.schoolStaff.map { ($0.groups.first?.description ?? "", $0.nStaff ?? 0) }) { a, _ in a }
        for (i, r) in answers.feedback.rows.enumerated() {
            suppression.add(Cell(DatasetName.feedback, i), ratings: r.records, staff: schoolStaff[r.name] ?? 0)
        }
        suppression.link(answers.feedback.rows.indices.map { Cell(DatasetName.feedback, $0) })

        suppression.complete()

        for (name, table) in tables {
            tables[name]?.suppressed = table.table.rows.indices.map { suppression.isSuppressed(Cell(name, $0)) }
        }
        var out = DatasetName.distributions.compactMap { tables[$0.name] }
        out.append(trendTable(suppression))
        out += cpdTables(suppression, subjectCellIndex: subjectCellIndex)
        var feedback = ExportTable(
            name: DatasetName.feedback, table: answers.feedback.query.table(answers.feedback.rows),
            measures: Self.feedbackMeasures)
        feedback.suppressed = feedback.table.rows.indices.map { suppression.isSuppressed(Cell(DatasetName.feedback, $0)) }
        out.append(feedback)
        out.append(ExportTable(name: DatasetName.coverage, table: CoverageSummary.table(answers.coverage.gaps), measures: []))
        return out
    }

    /// The trend with `n_staff` after `n`; a change is not shown where either of its two terms is suppressed.
    func trendTable(_ suppression: Suppression) -> ExportTable {
        let rows = answers.trend.rows
        var table = answers.trend.query.table(rows)
        let suppressed = rows.indices.map { suppression.isSuppressed(Suppression.Cell(DatasetName.trend, $0)) }
        let staff = Dictionary(answers.termStaff.map { ($0.groups.map(\.description).joined(separator: "/"), $0.nStaff) }) { a, _ in a }
        let names = table.columns.map(\.name)
        guard let nIndex = names.firstIndex(of: "n") else { return ExportTable(name: DatasetName.trend, table: table, measures: Self.trendMeasures) }
        let changes = ["good_or_better_change", "amber_red_change"].compactMap { names.firstIndex(of: $0) }
        table.columns.insert(Column("n_staff"), at: nIndex + 1)
        for (i, r) in rows.enumerated() {
            // The previous term of the same series is the row before (the trend is ordered by year and term).
            if i > 0 && suppressed[i - 1] && !suppressed[i] {
                for c in changes { table.rows[i][c] = .null }
            }
            table.rows[i].insert(staff["\(r.academicYear)/\(r.term)"]?.map(Value.integer) ?? .null, at: nIndex + 1)
        }
        return ExportTable(name: DatasetName.trend, table: table, measures: Self.trendMeasures, suppressed: suppressed)
    }

    /// CPD priorities (subject, school and trust levels) and, with --include-staff, the staff candidates.
    /// A subject or school row whose group is suppressed is left out: its presence alone says that a small
    /// group is weak. A suppressed trust row is shown with `c`.
    func cpdTables(_ suppression: Suppression, subjectCellIndex: [String: Int]) -> [ExportTable] {
        typealias Cell = Suppression.Cell
        let table = answers.cpd.query.table(answers.cpd.result)
        let all = ExportTable(name: DatasetName.cpdPriorities, table: table, measures: Self.cpdMeasures)
        let schoolCells = answers.distributions["distribution_by_standard_school"]?.rows ?? []
        var schoolCellIndex: [String: Int] = [:]
        for (i, r) in schoolCells.enumerated() { schoolCellIndex[r.groups.map(\.description).joined(separator: "|")] = i }
        // The trust rows compare with the whole trust in the window: suppressed on their own counts.
        var trustSuppression = Suppression(minimum: minimum)
        for (i, r) in answers.cpdTrust.enumerated() { trustSuppression.add(Cell("trust", i), ratings: r.n, staff: r.nStaff) }
        let trustIndex = Dictionary(answers.cpdTrust.enumerated().map { ($0.element.groups.first?.description ?? "", $0.offset) }) { a, _ in a }

        var priorities = all
        var keep: [Bool] = []
        for i in table.rows.indices {
            let level = all.value(i, "level")?.description ?? ""
            let school = all.value(i, "school")?.description ?? ""
            let subject = all.value(i, "subject")?.description ?? ""
            let standard = all.value(i, "standard")?.description ?? ""
            switch level {
            case "staff":
                keep.append(false)
            case "subject":
                let key = "\(school)|\(subject.isEmpty ? "unspecified" : subject)|\(standard)"
                let cell = subjectCellIndex[key].map { Cell(DatasetName.cpdSubjectCells, $0) }
                keep.append(!suppression.enabled || cell.map { !suppression.isSuppressed($0) } ?? false)
            case "school":
                let key = "\(standard)|\(school)"
                let cell = schoolCellIndex[key].map { Cell("distribution_by_standard_school", $0) }
                keep.append(!suppression.enabled || cell.map { !suppression.isSuppressed($0) } ?? false)
            default:
                keep.append(true)
                priorities.suppressed[i] = trustIndex[standard].map { trustSuppression.isSuppressed(Cell("trust", $0)) } ?? false
            }
        }
        var out = [priorities.filtered { keep[$0] }]
        if includeStaff {
            var staff = all.filtered { all.value($0, "level") == .text("staff") }
            staff.name = DatasetName.cpdStaffCandidates
            staff.measures = []
            out.append(staff)
        }
        return out
    }
}
