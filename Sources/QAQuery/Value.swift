/// One cell of a query's answer, typed so that JSON gets numbers and CSV gets plain text.
public enum Value: Sendable, Equatable, Hashable, CustomStringConvertible {
    case text(String)
    case integer(Int)
    /// A number shown with `places` decimals (percentages 1, mean scores 2).
    case decimal(Double, places: Int)
    case list([String])
    case null

    /// The plain-text form used in tables and CSV.
    public var description: String {
        switch self {
        case .text(let t): t
        case .integer(let i): String(i)
        case .decimal(let d, let places): Value.format(d, places: places)
        case .list(let items): items.joined(separator: ";")
        case .null: ""
        }
    }

    static func format(_ d: Double, places: Int) -> String {
        guard d.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (d * scale).rounded() / scale
        var text = String(rounded)
        if text.hasSuffix(".0") && places == 0 { text.removeLast(2) }
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < places { text += String(repeating: "0", count: places - decimals) }
        } else if places > 0 {
            text += "." + String(repeating: "0", count: places)
        }
        return text
    }
}

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
