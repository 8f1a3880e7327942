/// One record's values before validation, by column, with the names and order the file gave them.
struct RawEvidence {
    enum Value {
        case text(String)
        /// A JSON array (year groups, cohorts).
        case list([String])
        /// A JSON value of the wrong shape for its column; the string describes it ("a list", "an object").
        case misshapen(String)
    }

    var values: [Value?] = Array(repeating: nil, count: EvidenceColumn.allCases.count)

    subscript(column: EvidenceColumn) -> Value? {
        get { values[column.rawValue] }
        set { values[column.rawValue] = newValue }
    }
}

/// How the columns of one file are named and ordered, so problems are reported in the file's own words,
/// and the first problem in column order is the one reported.
struct ColumnLabels {
    var names: [String]
    var positions: [Int]

    /// Canonical names in canonical order (JSON Lines).
    static let canonical = ColumnLabels(
        names: EvidenceColumns.canonicalHeader,
        positions: EvidenceColumn.allCases.map(\.rawValue)
    )

    func name(_ column: EvidenceColumn) -> String { names[column.rawValue] }
    func position(_ column: EvidenceColumn) -> Int { positions[column.rawValue] }
}
