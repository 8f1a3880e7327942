import Postgres

/// Counts of ratings per RAGG* value grouped by dimensions under a filter: the shared core of
/// distribution, CPD needs and trend. The SQL yields one row per group with a column per dimension
/// (its key, named as the dimension) and red, amber, green, gold.
struct RatingCounts: Sendable {
    let dimensions: [Dimension]
    let filter: Filter
    let source: CountSource
    /// Adds `n_staff`, the number of distinct staff members rated in the group (read from a source with staff).
    let staffCount: Bool

    init(dimensions: [Dimension], filter: Filter, preference: CountSource.Preference, staffCount: Bool = false) {
        self.dimensions = dimensions
        self.filter = filter
        self.staffCount = staffCount
        var fields = Set(dimensions.map(\.field)).union(filter.fields)
        if staffCount { fields.insert(.staff) }
        source = CountSource.choose(for: fields, filter: filter, preference: preference)
    }

    var sql: SQL {
        staffCount ? sqlCountingStaff : sqlCountingRatings
    }

    /// The counts every row carries, in their column order.
    private static let counted: [RatingTint] = [.red, .amber, .green, .gold]

    /// One row per group, read from the source (aliased `x`) with the filter applied.
    private var sqlCountingRatings: SQL {
        var columns = dimensions.map { $0.key + SQL(verbatim: " AS " + quotedIdentifier($0.name)) }
        for tint in Self.counted {
            columns.append(source.count(tint) + SQL(verbatim: " AS \(tint.rawValue)"))
        }
        var sql: SQL = "SELECT " + SQL.joined(columns, separator: ", ") + " FROM " + source.from
        sql = sql + joins + source.whereClause(filter)
        if !dimensions.isEmpty {
            sql = sql + " GROUP BY " + SQL.joined(dimensions.map(\.key), separator: ", ")
        }
        return sql
    }

    /// With `n_staff`: grouped first by the dimensions' columns and the staff member, then by the dimensions,
    /// counting the staff groups. Equal to count(DISTINCT staff_id), which sorts every row of the group; two
    /// hashed groupings took a fraction of the time over the staff summary at a million records.
    private var sqlCountingStaff: SQL {
        var inner = columns.map { SQL(verbatim: "x." + $0) }
        for tint in Self.counted {
            inner.append(source.count(tint) + SQL(verbatim: " AS \(tint.rawValue)"))
        }
        let grouped = "(SELECT " + SQL.joined(inner, separator: ", ") + " FROM " + source.from + source.whereClause(filter)
            + SQL(verbatim: " GROUP BY " + columns.map { "x." + $0 }.joined(separator: ", ") + ") x")
        var outer = dimensions.map { $0.key + SQL(verbatim: " AS " + quotedIdentifier($0.name)) }
        for tint in Self.counted {
            outer.append(SQL(verbatim: "sum(x.\(tint.rawValue))::bigint AS \(tint.rawValue)"))
        }
        // Staff groups with no staff member (ratings of records that name none) are not a member of staff.
        outer.append("count(x.staff_id) AS n_staff")
        var sql: SQL = "SELECT " + SQL.joined(outer, separator: ", ") + " FROM " + grouped + joins
        if !dimensions.isEmpty {
            sql = sql + " GROUP BY " + SQL.joined(dimensions.map(\.key), separator: ", ")
        }
        return sql
    }

    /// The source columns the dimensions read, and the staff member: the inner grouping of `sqlCountingStaff`.
    private var columns: [String] {
        var out: [String] = []
        for column in dimensions.compactMap(\.field.column) + ["staff_id"] where !out.contains(column) {
            out.append(column)
        }
        return out
    }

    /// Phase and department come from the school and subject tables.
    private var joins: SQL {
        var sql: SQL = ""
        if dimensions.contains(.phase) { sql = sql + " LEFT JOIN qa.school sc ON sc.school_id = x.school_id" }
        if dimensions.contains(.department) { sql = sql + " LEFT JOIN qa.subject su ON su.subject_id = x.subject_id" }
        return sql
    }

    /// The tables the labels read, joined to the grouped rows `g`: after `FROM g`.
    var labelJoins: SQL {
        dimensions.compactMap(\.labelJoin).reduce("" as SQL, +)
    }

    /// The labelled dimension columns over the grouped rows `g` (with `labelJoins`), for a SELECT list.
    var labels: [SQL] {
        dimensions.map { $0.label + SQL(verbatim: " AS " + quotedIdentifier($0.name)) }
    }

    /// ORDER BY terms for the grouped rows `g`.
    var order: [SQL] { dimensions.map(\.order) }
}
