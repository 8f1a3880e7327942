import Postgres

/// Session settings for answering questions, applied once per connection by the query and export commands.
public enum QuerySettings {
    /// - `jit = off`: the planner's JIT threshold is crossed by every summary query over a million ratings,
    ///   and compiling cost up to 0.5 s on queries that run in tens of milliseconds without it (measured
    ///   with EXPLAIN ANALYZE at the large scale; see docs/PERFORMANCE.md).
    /// - `work_mem`: the base-table queries (staff level, feedback, triangulation) sort and hash a row per
    ///   rating; with the default 4 MB they spill to disk.
    public static let statements: [SQL] = ["SET jit = off", "SET work_mem = '128MB'"]

    public static func apply(to connection: Connection) throws {
        for statement in statements { try connection.execute(statement) }
    }
}
