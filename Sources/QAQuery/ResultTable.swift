/// A column of a query's answer. `rating` marks a column that is about one RAGG* value, for colouring.
public struct Column: Sendable, Equatable {
    public let name: String
    public let rating: RatingTint?

    public init(_ name: String, rating: RatingTint? = nil) {
        self.name = name
        self.rating = rating
    }
}

/// The RAGG* colour a column or cell is shown in on a terminal.
public enum RatingTint: String, Sendable, Equatable {
    case gold, green, amber, red
}

/// Any query's answer as ordered columns and rows: what table, CSV and JSON output are written from.
public struct ResultTable: Sendable, Equatable {
    public var columns: [Column]
    public var rows: [[Value]]

    public init(columns: [Column], rows: [[Value]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The rows as (column name, value) pairs, for tests and the exporter.
    public var records: [[String: Value]] {
        rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns.map(\.name), row)) }
    }
}
