/// The header row of an evidence CSV: which file column holds each evidence column.
struct CSVHeader {
    /// The header as in the file.
    let original: [String]
    /// File column index for each `EvidenceColumn`, by raw value.
    let index: [Int?]
    let labels: ColumnLabels
    /// One warning per unknown or unnamed column.
    let warnings: [ReadWarning]

    init(_ fields: [String], file: String, line: Int) throws(FileProblem) {
        original = fields
        var index = [Int?](repeating: nil, count: EvidenceColumn.allCases.count)
        var names = EvidenceColumns.canonicalHeader
        var positions = [Int](repeating: Int.max, count: EvidenceColumn.allCases.count)
        var seen: [String: Int] = [:]
        var warnings: [ReadWarning] = []
        for (i, raw) in fields.enumerated() {
            let name = String(raw.trimmingSpaces())
            let key = EvidenceColumn.key(name)
            if key.isEmpty {
                warnings.append(ReadWarning(
                    file: file, line: line, column: nil,
                    message: "column \(i + 1) has no name in the header; its values are ignored"
                ))
                continue
            }
            // `S5` and `Standard 5` are the same column, so known columns are compared by meaning.
            let column = EvidenceColumn(header: name)
            if let earlier = column.flatMap({ index[$0.rawValue] }) ?? seen[key] {
                throw FileProblem(
                    file: file, line: line,
                    reason: "the header has the column \"\(name)\" twice (columns \(earlier + 1) and \(i + 1)); "
                        + "remove or rename one"
                )
            }
            seen[key] = i
            guard let column else {
                warnings.append(ReadWarning(
                    file: file, line: line, column: name, message: "unknown column \"\(name)\" is ignored"
                ))
                continue
            }
            index[column.rawValue] = i
            names[column.rawValue] = name
            positions[column.rawValue] = i
        }
        let missing = EvidenceColumn.required.filter { index[$0.rawValue] == nil }
        if !missing.isEmpty {
            let list = missing.map(\.canonicalName).joined(separator: ", ")
            throw FileProblem(
                file: file, line: line,
                reason: "the header has no \(list) column\(missing.count == 1 ? "" : "s"); every evidence file needs "
                    + "evidence_id, school, activity and date"
            )
        }
        self.index = index
        self.labels = ColumnLabels(names: names, positions: positions)
        self.warnings = warnings
    }

    /// The raw values of one row that has as many fields as the header.
    func raw(_ fields: [String]) -> RawEvidence {
        var raw = RawEvidence()
        for (column, position) in index.enumerated() {
            if let position { raw.values[column] = .text(fields[position]) }
        }
        return raw
    }
}
