import Postgres

/// `query trend`: good-or-better and Amber+Red shares per term over academic years, for each value of an
/// optional dimension, with the change from the previous term (in percentage points).
public struct Trend: Sendable {
    public var dimension: Dimension?
    public var filter: Filter
    public var preference: CountSource.Preference

    public init(by dimension: Dimension? = nil, filter: Filter = Filter(), preference: CountSource.Preference = .automatic) {
        self.dimension = dimension
        self.filter = filter
        self.preference = preference
    }

    var counts: RatingCounts {
        let base: [Dimension] = [.academicYear, .term]
        let dims = dimension.map { d in base.contains(d) ? base : [d] + base } ?? base
        return RatingCounts(dimensions: dims, filter: filter, preference: preference)
    }

    public var sql: SQL {
        let counts = counts
        let series: SQL = dimension.map { d in [.academicYear, .term].contains(d) ? "" : "PARTITION BY g." + SQL(verbatim: quotedIdentifier(d.name)) + " " } ?? ""
        let previous = "OVER (" + series + "ORDER BY g.academic_year, qa.term_order(g.term))"
        return "WITH g AS (" + counts.sql + "), s AS (SELECT g.*,"
            + " round(100.0 * (g.gold + g.green) / nullif(g.gold + g.green + g.amber + g.red, 0), 1) AS good_or_better_pct,"
            + " round(100.0 * (g.amber + g.red) / nullif(g.gold + g.green + g.amber + g.red, 0), 1) AS amber_red_pct"
            + " FROM g WHERE g.gold + g.green + g.amber + g.red > 0)"
            + " SELECT " + SQL.joined(counts.labels, separator: ", ")
            + ", g.gold + g.green + g.amber + g.red AS n, g.good_or_better_pct, g.amber_red_pct,"
            + " g.good_or_better_pct - lag(g.good_or_better_pct) " + previous + " AS good_or_better_change,"
            + " g.amber_red_pct - lag(g.amber_red_pct) " + previous + " AS amber_red_change"
            + " FROM s g" + counts.labelJoins + " ORDER BY " + SQL.joined(counts.order, separator: ", ")
    }

    public func run(on connection: Connection) throws -> [TrendRow] {
        let dimension = dimension.flatMap { [.academicYear, .term].contains($0) ? nil : $0 }
        return try connection.query(sql).rows.map { row in
            TrendRow(
                group: try dimension.map { try GroupValue(row, $0) },
                academicYear: try row.decode("academic_year"), term: try row.decode("term"), n: try row.decode("n"),
                goodOrBetterPct: try row.decode("good_or_better_pct"), amberRedPct: try row.decode("amber_red_pct"),
                goodOrBetterChange: try row.decode("good_or_better_change"),
                amberRedChange: try row.decode("amber_red_change"))
        }
    }

    public func table(_ rows: [TrendRow]) -> ResultTable {
        let dimension = dimension.flatMap { [.academicYear, .term].contains($0) ? nil : $0 }
        let columns = (dimension.map { [Column($0.name)] } ?? []) + [
            Column("academic_year"), Column("term"), Column("n"), Column("good_or_better_pct", rating: .green),
            Column("amber_red_pct", rating: .amber), Column("good_or_better_change"), Column("amber_red_change"),
        ]
        return ResultTable(columns: columns, rows: rows.map { r in
            (r.group.map { [$0.value] } ?? []) + [
                .text(r.academicYear), .text(r.term), .integer(r.n), .decimal(r.goodOrBetterPct, places: 1),
                .decimal(r.amberRedPct, places: 1),
                r.goodOrBetterChange.map { .decimal($0, places: 1) } ?? .null,
                r.amberRedChange.map { .decimal($0, places: 1) } ?? .null,
            ]
        })
    }
}

public struct TrendRow: Sendable, Equatable, Codable {
    /// The value of the --by dimension, if one was asked for.
    public var group: GroupValue?
    public var academicYear, term: String
    public var n: Int
    public var goodOrBetterPct, amberRedPct: Double
    /// Change from the previous term of the same series, in percentage points; nil for the first term.
    public var goodOrBetterChange, amberRedChange: Double?
}
