import Postgres

/// Whether the database role running a command may read staff names (policy section 3; migration 005:
/// leaders may, analysts may not). Asked of PostgreSQL, so grants made later are honoured.
public enum StaffNameAccess {
    public static let sql: SQL = "SELECT has_column_privilege('qa.staff', 'name', 'SELECT') AS allowed"

    public static func allowed(on connection: Connection) throws -> Bool {
        try connection.query(sql).single().decode("allowed")
    }
}
