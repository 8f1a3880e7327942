import QAQuery

/// One dataset of an export: a query's answer (columns and keys as `query ... --format json`), the columns
/// blanked when a row is suppressed (its counts and shares), and which rows are suppressed.
public struct ExportTable: Sendable, Equatable {
    /// The file name without extension: NAME.csv, NAME.json, Dashboards/schema/NAME.schema.json.
    public var name: String
    public var table: ResultTable
    /// Columns shown as `c` (CSV) or null (JSON) in a suppressed row.
    public var measures: Set<String>
    public var suppressed: [Bool]

    public init(name: String, table: ResultTable, measures: Set<String>, suppressed: [Bool]? = nil) {
        self.name = name
        self.table = table
        self.measures = measures
        self.suppressed = suppressed ?? Array(repeating: false, count: table.rows.count)
    }

    public var columnNames: [String] { table.columns.map(\.name) }

    /// The column names written to files: the query's columns, then `suppressed`.
    public var fileColumns: [String] { columnNames + ["suppressed"] }

    /// The cell of `row` in `column`, or nil where the table has no such column.
    public func value(_ row: Int, _ column: String) -> Value? {
        // Searched in place: building the list of names for every cell was a tenth of an export's own work.
        guard let index = table.columns.firstIndex(where: { $0.name == column }) else { return nil }
        return table.rows[row][index]
    }

    /// The shown cell: nil when the row is suppressed and the column is a measure.
    public func shown(_ row: Int, _ column: String) -> Value? {
        if suppressed[row] && measures.contains(column) { return nil }
        return value(row, column)
    }

    /// Rows keeping only those where `keep` is true (suppression flags follow).
    func filtered(_ keep: (Int) -> Bool) -> ExportTable {
        var out = self
        let indexes = table.rows.indices.filter(keep)
        out.table.rows = indexes.map { table.rows[$0] }
        out.suppressed = indexes.map { suppressed[$0] }
        return out
    }
}

extension Value {
    /// The integer in a cell, if it holds one.
    var integerValue: Int? {
        if case .integer(let i) = self { return i }
        return nil
    }

    var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .decimal(let d, _): d
        default: nil
        }
    }
}
