import Foundation
import Postgres
import QACore

/// One numbered SQL file under `SQL/`, e.g. `002_evidence.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file's bytes: an applied migration whose file later changes is refused.
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hex(of: Array(sql.utf8))
    }

    /// Reads `NNN_name.sql` files from a folder, in version order. Two files with one number are an error.
    public static func load(from directory: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        return try parse(names.map { name in
            (name, try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
        })
    }

    /// The migrations built into the tool from the package's `SQL/` folder.
    public static func bundled() throws -> [Migration] {
        try parse(EmbeddedMigrations.files)
    }

    static func parse(_ files: [(name: String, text: String)]) throws -> [Migration] {
        var migrations: [Migration] = []
        for (file, sql) in files {
            guard file.hasSuffix(".sql"), let underscore = file.firstIndex(of: "_"), let version = Int(file[..<underscore])
            else { throw MigrationError.badFileName(file) }
            let name = String(file.dropLast(4))
            if let clash = migrations.first(where: { $0.version == version }) {
                throw MigrationError.duplicateVersion(version, clash.name, name)
            }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    case changedAfterApplied(version: Int, name: String)
    case unknownApplied(version: Int, name: String)
    /// A database other than the embedded one, not (fully) migrated: `applied` of `bundled` migrations there.
    case notMigrated(location: String, applied: Int, bundled: Int)

    public var description: String {
        switch self {
        case .badFileName(let f): "migration file \(f) must be named NNN_description.sql"
        case .duplicateVersion(let v, let a, let b): "migrations \(a) and \(b) share the number \(v)"
        case .changedAfterApplied(let v, let n):
            "migration \(n) (version \(v)) was changed after it was applied to this database; "
                + "never edit an applied migration: add a new numbered file instead"
        case .unknownApplied(let v, let n):
            "the database has migration \(n) (version \(v)) that this version of qa-analytics does not know; "
                + "use the newer qa-analytics that applied it"
        case .notMigrated(let location, let applied, let bundled):
            applied == 0
                ? "the database (\(location)) has no qa-analytics tables yet: create them with "
                    + "`qa-analytics migrate --database ...` (as the database owner), then run this again"
                : "the database (\(location)) has \(applied) of the \(bundled) migrations this qa-analytics needs: "
                    + "apply the rest with `qa-analytics migrate --database ...` (as the database owner), then run this again"
        }
    }
}

/// What `migrate` did.
public struct MigrationReport: Sendable, Equatable {
    public var applied: [String]
    public var alreadyApplied: Int
}

/// Applies migrations in order, each in its own transaction, recording them with their checksums.
public struct Migrator {
    public let migrations: [Migration]

    public init(migrations: [Migration]) { self.migrations = migrations }

    /// Serialises concurrent `migrate` runs on one database.
    static let lockKey = 7_315_001

    /// How many of the bundled migrations the database has, or nil when this login may not read the list
    /// (a loader or analyst login: then the commands simply try).
    public func appliedCount(on connection: Connection) throws -> Int? {
        // Every command connects through here: one question for all three facts (a NULL table gives NULL rights).
        let row = try connection.query("""
            SELECT to_regclass('public.qa_schema_migration') IS NOT NULL AS listed,
                   to_regnamespace('qa') IS NOT NULL AS has_schema,
                   coalesce(has_table_privilege(to_regclass('public.qa_schema_migration'), 'SELECT'), false) AS readable
            """).single()
        guard try row.decode("listed", as: Bool.self) else { return try row.decode("has_schema", as: Bool.self) ? nil : 0 }
        guard try row.decode("readable", as: Bool.self) else { return nil }
        let versions: [Int] = try connection.query("SELECT version FROM public.qa_schema_migration").map { try $0.decode("version") }
        return Set(versions).intersection(migrations.map(\.version)).count
    }

    /// Throws `notMigrated` when the database lacks any bundled migration (and the login can tell).
    public func requireMigrated(_ connection: Connection) throws {
        guard let applied = try appliedCount(on: connection), applied < migrations.count else { return }
        throw MigrationError.notMigrated(location: connection.location, applied: applied, bundled: migrations.count)
    }

    public func migrate(_ connection: Connection) throws -> MigrationReport {
        try connection.execute("SELECT pg_advisory_lock(\(Migrator.lockKey))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Migrator.lockKey))") }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS public.qa_schema_migration (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                applied_by text NOT NULL DEFAULT current_user)
            """)
        var applied: [Int: (name: String, checksum: String)] = [:]
        for row in try connection.query("SELECT version, name, checksum FROM public.qa_schema_migration") {
            applied[try row.decode("version")] = (try row.decode("name"), try row.decode("checksum"))
        }
        let known = Set(migrations.map(\.version))
        if let stranger = applied.keys.sorted().first(where: { !known.contains($0) }), let entry = applied[stranger] {
            throw MigrationError.unknownApplied(version: stranger, name: entry.name)
        }
        var report = MigrationReport(applied: [], alreadyApplied: 0)
        for migration in migrations {
            if let done = applied[migration.version] {
                guard done.checksum == migration.checksum else {
                    throw MigrationError.changedAfterApplied(version: migration.version, name: migration.name)
                }
                report.alreadyApplied += 1
                continue
            }
            try apply(migration, on: connection)
            report.applied.append(migration.name)
        }
        return report
    }

    /// Runs one migration in its own transaction. Roles belong to the whole server, but the advisory lock held by
    /// `migrate` belongs to one database: two databases of one server migrated at the same moment (the tests do
    /// this) can both find a role missing, and the second to create it fails. Run again, it finds the role.
    private func apply(_ migration: Migration, on connection: Connection, attempts: Int = 3) throws {
        do {
            try connection.transaction {
                try connection.executeScript(migration.sql)
                try connection.execute("""
                    INSERT INTO public.qa_schema_migration (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """)
            }
        } catch let error as PostgresError where attempts > 1 && error.sqlState == "23505"
                    && (error.constraint == "pg_authid_rolname_index" || error.message.contains("pg_authid_rolname_index")) {
            try apply(migration, on: connection, attempts: attempts - 1)
        }
    }
}
