import ArgumentParser
import QAStore

/// `qa-analytics migrate`: apply the numbered SQL migrations that have not been applied yet.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or update the database schema (safe to run again: it applies only what is new).")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let logger = database.makeLogger()
        let connection = try database.connect(logger: logger, migrateEmbedded: false)
        let report = try Migrator(migrations: try Migration.bundled()).migrate(connection)
        if report.applied.isEmpty {
            print("nothing to do: all \(report.alreadyApplied) migrations already applied (\(connection.location))")
        } else {
            for name in report.applied { print("applied \(name)") }
            print("database migrated: \(report.applied.count) applied, \(report.alreadyApplied) already there (\(connection.location))")
        }
    }
}
