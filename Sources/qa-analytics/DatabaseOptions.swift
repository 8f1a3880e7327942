import ArgumentParser
import Foundation
import Logging
import Postgres
import QAStore

/// The options every command that talks to the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "A libpq connection string or postgresql:// URI. Default: QA_DATABASE_URL, then the PG* environment, then the embedded database.",
            discussion: "Passwords belong in ~/.pgpass, a service file or PGPASSWORD, never on the command line.",
            valueName: "conninfo"))
    var database: String?

    @Option(help: ArgumentHelp("Where the embedded database lives.", valueName: "dir"))
    var dataDir: String?

    @Option(help: ArgumentHelp("Log lines as text or json (one JSON object per event).", valueName: "format"))
    var logFormat: LogFormat = .text

    @Flag(name: .shortAndLong, help: "Log more detail.")
    var verbose = false

    var target: DatabaseTarget { DatabaseTarget.choose(database: database, dataDirectory: dataDir) }

    func validate() throws {
        if let database, Redaction.containsPassword(database) {
            throw ValidationError(
                "--database must not carry a password (it would show in the process list and shell history); "
                    + "put it in ~/.pgpass, a service file or PGPASSWORD")
        }
    }

    func makeLogger(_ label: String = "qa-analytics") -> Logger {
        Console.bootstrap(format: logFormat, verbose: verbose)
        return Logger(label: label)
    }

    /// Connects to the chosen database, starting (and creating) the embedded one if that is the target.
    /// On the embedded database pending migrations are applied; elsewhere they must be applied with `migrate`.
    func connect(logger: Logger, migrateEmbedded: Bool = true) throws -> Connection {
        switch target {
        case .configured(let conninfo):
            let connection = try Connection(conninfo)
            logger.debug("connected", metadata: ["server": "\(connection.location)"])
            // Elsewhere migrations are the owner's job; a database without them gets a clear next step, not
            // "relation qa.load_batch does not exist".
            if migrateEmbedded { try Migrator(migrations: try Migration.bundled()).requireMigrated(connection) }
            return connection
        case .embedded(let directory):
            let server = LocalServer(dataDirectory: directory)
            for step in try server.start() { logger.info("\(step)") }
            let connection = try Connection(server.connectionString)
            if migrateEmbedded {
                let report = try Migrator(migrations: try Migration.bundled()).migrate(connection)
                for name in report.applied { logger.info("applied migration \(name)") }
            }
            return connection
        }
    }
}

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

