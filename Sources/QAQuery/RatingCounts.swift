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
        source = CountSource.choose(for: fields, preference: preference)
    }

    var sql: SQL {
        var columns = dimensions.map { $0.key + SQL(verbatim: " AS " + quotedIdentifier($0.name)) }
        for tint in [RatingTint.red, .amber, .green, .gold] {
            columns.append(source.count(tint) + SQL(verbatim: " AS \(tint.rawValue)"))
        }
        if staffCount { columns.append("count(DISTINCT x.staff_id) AS n_staff") }
        var sql: SQL = "SELECT " + SQL.joined(columns, separator: ", ") + " FROM " + source.from
        if dimensions.contains(.phase) { sql = sql + " LEFT JOIN qa.school sc ON sc.school_id = x.school_id" }
        if dimensions.contains(.department) { sql = sql + " LEFT JOIN qa.subject su ON su.subject_id = x.subject_id" }
        sql = sql + filter.whereClause()
        if !dimensions.isEmpty {
            sql = sql + " GROUP BY " + SQL.joined(dimensions.map(\.key), separator: ", ")
        }
        return sql
    }

    /// The labelled dimension columns over the grouped rows `g`, for a SELECT list.
    var labels: [SQL] {
        dimensions.map { $0.label + SQL(verbatim: " AS " + quotedIdentifier($0.name)) }
    }

    /// ORDER BY terms for the grouped rows `g`.
    var order: [SQL] { dimensions.map(\.order) }
}
