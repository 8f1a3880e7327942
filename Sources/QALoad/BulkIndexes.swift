import Postgres

/// For a load that adds many rows at once (the first load of a trust, a national backfill), building the
/// evidence and rating indexes once after the insert is several times faster than updating them row by row.
/// The indexes are dropped and rebuilt inside the load's transaction, so a failed or killed load rolls back
/// to the indexes it found. While such a load runs, readers of those two tables wait for it to commit.
struct BulkIndexes {
    /// Closed list: the only tables whose indexes a load may rebuild.
    static let tables = ["qa.evidence", "qa.rating"]

    struct Saved {
        var table: String
        var name: String
        var definition: String
        var isConstraint: Bool
    }

    let connection: Connection
    private(set) var saved: [Saved] = []

    init(connection: Connection) { self.connection = connection }

    /// Worth it when the load adds at least `threshold` new records and at least as many records as the table
    /// holds, and this login owns the tables (only an owner may drop an index; a `qa_loader` never does).
    static func worthIt(newRecords: Int, threshold: Int, on connection: Connection) throws -> Bool {
        guard newRecords >= threshold else { return false }
        let row = try connection.query("""
            SELECT pg_has_role(current_user, c.relowner, 'USAGE') AS owner, greatest(c.reltuples, 0)::bigint AS existing
              FROM pg_class c WHERE c.oid = 'qa.evidence'::regclass
            """).single()
        let owner: Bool = try row.decode("owner")
        let existing: Int = try row.decode("existing")
        return owner && newRecords >= existing
    }

    mutating func drop() throws {
        for table in BulkIndexes.tables {
            for row in try connection.query("""
                SELECT conname::text AS name, pg_get_constraintdef(oid) AS definition
                  FROM pg_constraint WHERE conrelid = \(table)::regclass AND contype IN ('p', 'u')
                """) {
                saved.append(Saved(table: table, name: try row.decode("name"), definition: try row.decode("definition"), isConstraint: true))
            }
            for row in try connection.query("""
                SELECT c.relname::text AS name, pg_get_indexdef(i.indexrelid) AS definition
                  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 WHERE i.indrelid = \(table)::regclass
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                """) {
                saved.append(Saved(table: table, name: try row.decode("name"), definition: try row.decode("definition"), isConstraint: false))
            }
        }
        // Names and definitions come from PostgreSQL's own catalog, not from any input.
        for index in saved {
            if index.isConstraint {
                try connection.execute(SQL(verbatim: "ALTER TABLE \(index.table) DROP CONSTRAINT \(quotedIdentifier(index.name))"))
            } else {
                try connection.execute(SQL(verbatim: "DROP INDEX qa.\(quotedIdentifier(index.name))"))
            }
        }
    }

    func restore() throws {
        try connection.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for index in saved {
            if index.isConstraint {
                try connection.execute(SQL(verbatim: "ALTER TABLE \(index.table) ADD CONSTRAINT \(quotedIdentifier(index.name)) \(index.definition)"))
            } else {
                try connection.execute(SQL(verbatim: index.definition))
            }
        }
    }
}
