import Postgres

/// `query distribution`: counts of ratings per RAGG* value grouped by any combination of dimensions.
public struct Distribution: Sendable {
    public var dimensions: [Dimension]
    public var filter: Filter
    /// Adds a 95% Wilson interval for the good-or-better share.
    public var confidenceInterval: Bool
    /// Adds `n_staff`: how many distinct staff members the group's ratings are about (for small-group
    /// suppression in exports). Ratings with no staff member recorded add none.
    public var staffCount: Bool
    public var preference: CountSource.Preference

    public init(
        by dimensions: [Dimension], filter: Filter = Filter(), confidenceInterval: Bool = false,
        staffCount: Bool = false, preference: CountSource.Preference = .automatic
    ) {
        self.dimensions = dimensions
        self.filter = filter
        self.confidenceInterval = confidenceInterval
        self.staffCount = staffCount
        self.preference = preference
    }

    var counts: RatingCounts {
        RatingCounts(dimensions: dimensions, filter: filter, preference: preference, staffCount: staffCount)
    }

    /// Where the counts come from (a summary or the base tables), for --explain and tests.
    public var source: CountSource { counts.source }

    public var sql: SQL {
        let counts = counts
        var columns = counts.labels
        columns.append(
            """
            s.n, g.gold, g.green, g.amber, g.red,
            round(100.0 * g.gold / nullif(s.n, 0), 1) AS gold_pct,
            round(100.0 * g.green / nullif(s.n, 0), 1) AS green_pct,
            round(100.0 * g.amber / nullif(s.n, 0), 1) AS amber_pct,
            round(100.0 * g.red / nullif(s.n, 0), 1) AS red_pct,
            round((4.0 * g.gold + 3 * g.green + 2 * g.amber + g.red) / nullif(s.n, 0), 2) AS mean_score,
            round(100.0 * (g.gold + g.green) / nullif(s.n, 0), 1) AS good_or_better_pct
            """)
        if staffCount { columns.append("g.n_staff") }
        if confidenceInterval {
            // Wilson score interval, z = 1.96.
            columns.append(
                """
                round((100 * w.centre - 100 * w.half)::numeric, 1) AS good_or_better_ci_low,
                round((100 * w.centre + 100 * w.half)::numeric, 1) AS good_or_better_ci_high
                """)
        }
        var sql: SQL = "WITH g AS (" + counts.sql + ") SELECT " + SQL.joined(columns, separator: ", ")
            + " FROM g" + counts.labelJoins + " CROSS JOIN LATERAL (SELECT g.gold + g.green + g.amber + g.red AS n) s"
        if confidenceInterval {
            sql = sql + """
                 CROSS JOIN LATERAL (SELECT (g.gold + g.green)::float8 / nullif(s.n, 0) AS p, 1.96::float8 AS z) q
                 CROSS JOIN LATERAL (SELECT (q.p + q.z * q.z / (2 * s.n)) / (1 + q.z * q.z / s.n) AS centre,
                        q.z * sqrt(q.p * (1 - q.p) / s.n + q.z * q.z / (4.0 * s.n * s.n)) / (1 + q.z * q.z / s.n) AS half) w
                """
        }
        sql = sql + " WHERE s.n > 0"
        if !dimensions.isEmpty { sql = sql + " ORDER BY " + SQL.joined(counts.order, separator: ", ") }
        return sql
    }

    public func run(on connection: Connection) throws -> [DistributionRow] {
        try connection.query(sql).rows.map { row in
            DistributionRow(
                groups: try dimensions.map { try GroupValue(row, $0) },
                n: try row.decode("n"), gold: try row.decode("gold"), green: try row.decode("green"),
                amber: try row.decode("amber"), red: try row.decode("red"),
                nStaff: staffCount ? try row.decode("n_staff") : nil,
                goldPct: try row.decode("gold_pct"), greenPct: try row.decode("green_pct"),
                amberPct: try row.decode("amber_pct"), redPct: try row.decode("red_pct"),
                meanScore: try row.decode("mean_score"), goodOrBetterPct: try row.decode("good_or_better_pct"),
                goodOrBetterInterval: confidenceInterval
                    ? GoodOrBetterInterval(low: try row.decode("good_or_better_ci_low"), high: try row.decode("good_or_better_ci_high"))
                    : nil)
        }
    }

    public func table(_ rows: [DistributionRow]) -> ResultTable {
        var columns = dimensions.map { Column($0.name) }
        columns.append(Column("n"))
        if staffCount { columns.append(Column("n_staff")) }
        columns += [
            Column("gold", rating: .gold), Column("green", rating: .green),
            Column("amber", rating: .amber), Column("red", rating: .red),
            Column("gold_pct", rating: .gold), Column("green_pct", rating: .green),
            Column("amber_pct", rating: .amber), Column("red_pct", rating: .red),
            Column("mean_score"), Column("good_or_better_pct"),
        ]
        if confidenceInterval { columns += [Column("good_or_better_ci_low"), Column("good_or_better_ci_high")] }
        return ResultTable(columns: columns, rows: rows.map { r in
            var cells = r.groups.map(\.value)
            cells.append(.integer(r.n))
            if staffCount { cells.append(r.nStaff.map(Value.integer) ?? .null) }
            cells += [.integer(r.gold), .integer(r.green), .integer(r.amber), .integer(r.red)]
            cells += [r.goldPct, r.greenPct, r.amberPct, r.redPct].map { .decimal($0, places: 1) }
            cells += [.decimal(r.meanScore, places: 2), .decimal(r.goodOrBetterPct, places: 1)]
            if let ci = r.goodOrBetterInterval { cells += [.decimal(ci.low, places: 1), .decimal(ci.high, places: 1)] }
            return cells
        })
    }
}

/// One group of a distribution.
public struct DistributionRow: Sendable, Equatable, Codable {
    /// The group's value for each requested dimension, in the order requested.
    public var groups: [GroupValue]
    public var n, gold, green, amber, red: Int
    /// Distinct staff members rated in the group, when asked for (`Distribution.staffCount`).
    public var nStaff: Int?
    public var goldPct, greenPct, amberPct, redPct: Double
    /// Red 1 … Gold 4.
    public var meanScore: Double
    /// Green or Gold, in percent.
    public var goodOrBetterPct: Double
    public var goodOrBetterInterval: GoodOrBetterInterval?
}

/// A 95% Wilson interval, in percent.
public struct GoodOrBetterInterval: Sendable, Equatable, Codable {
    public var low, high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }
}

/// A dimension's value in a result row: a standard's number or a name.
public enum GroupValue: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    case number(Int)
    case name(String)

    init(_ row: Row, _ dimension: Dimension) throws {
        self = dimension.isNumeric ? .number(try row.decode(dimension.name)) : .name(try row.decode(dimension.name))
    }

    var value: Value {
        switch self {
        case .number(let n): .integer(n)
        case .name(let s): .text(s)
        }
    }

    public var description: String {
        switch self {
        case .number(let n): String(n)
        case .name(let s): s
        }
    }
}
