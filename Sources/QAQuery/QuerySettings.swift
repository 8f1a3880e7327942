import Postgres

/// Session settings for answering questions, applied once per connection by the query and export commands.
public enum QuerySettings {
    /// - `jit = off`: the planner's JIT threshold is crossed by every summary query over a million ratings,
    ///   and compiling cost up to 0.5 s on queries that run in tens of milliseconds without it (measured
    ///   with EXPLAIN ANALYZE at the large scale; see docs/PERFORMANCE.md).
    /// - `work_mem`: the base-table queries (staff level, feedback, triangulation) sort and hash a row per
    ///   rating; with the default 4 MB they spill to disk.
    /// - Parallel workers priced lower than PostgreSQL's defaults, which assume a server busy with many
    ///   sessions: an analyst's question or an export has the machine to itself. At the large scale this took
    ///   cpd-needs from 2.3 s to 1.8 s, feedback from 1.6 s to 1.2 s and a year's triangulation from 4.3 s
    ///   to 2.8 s, with the summary queries unchanged (SQL alone, median of three runs).
    /// - `random_page_cost = 1.1`: a page read out of order costs little more than one read in order when the
    ///   tables are in memory or on SSD (PostgreSQL's 4 assumes spinning disks). At 4 the planner hashed all 10
    ///   million ratings at national scale to answer a month of end days (`CountSource.endDayRatings`) rather
    ///   than look up 90,000 records' ratings by key.
    public static let statements: [SQL] = [
        "SET jit = off", "SET work_mem = '128MB'", "SET parallel_setup_cost = 100", "SET parallel_tuple_cost = 0.01",
        "SET random_page_cost = 1.1",
    ]

    public static func apply(to connection: Connection) throws {
        for statement in statements { try connection.execute(statement) }
    }
}
