import Foundation
import Postgres
import QAStore

/// A fresh, migrated database on the test server, one per test, so tests can run in parallel.
///
/// The server is the one `Scripts/test` starts (`QA_TEST_DATABASE_URL`, a keyword connection string
/// for a superuser); when that is not set, a private embedded server under the system temp folder is
/// started, so `swift test` alone works too. Never a mock: every test talks to real PostgreSQL.
public final class TestDatabase: @unchecked Sendable {
    public let name: String
    public let conninfo: String

    init(name: String, conninfo: String) {
        self.name = name
        self.conninfo = conninfo
    }

    public func connect() throws -> Connection { try Connection(conninfo) }

    /// Creates a database copied from a migrated template (`migrated: true`) or an empty one.
    public static func create(migrated: Bool = true) throws -> TestDatabase {
        let admin = try TestServer.shared.adminConninfo()
        let name = "qa_test_\(getpid())_\(TestServer.shared.nextNumber())"
        let template = migrated ? try TestServer.shared.migratedTemplate() : "template0"
        let connection = try Connection(admin)
        try connection.execute(SQL(verbatim: "CREATE DATABASE \(quotedIdentifier(name)) TEMPLATE \(quotedIdentifier(template))"))
        return TestDatabase(name: name, conninfo: "\(admin) dbname=\(name)")
    }

    /// The admin connection string of the test server (for tests that create roles or databases).
    public static func serverConninfo() throws -> String { try TestServer.shared.adminConninfo() }
}

final class TestServer: @unchecked Sendable {
    static let shared = TestServer()
    private let lock = NSLock()
    private var counter = 0
    private var template: String?
    private var admin: String?

    func nextNumber() -> Int {
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        return counter
    }

    func adminConninfo() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let admin { return admin }
        let value: String
        if let url = ProcessInfo.processInfo.environment["QA_TEST_DATABASE_URL"], !url.isEmpty {
            value = url
        } else {
            let server = LocalServer(dataDirectory: NSTemporaryDirectory() + "qa-analytics-test-server-\(getuid())")
            try server.start()
            value = "host=\(server.socketDirectory) port=\(LocalServer.port) user=\(LocalServer.superuser) dbname=postgres"
        }
        admin = value
        return value
    }

    /// A database with every migration applied, copied for each test (much faster than migrating each).
    func migratedTemplate() throws -> String {
        let admin = try adminConninfo()
        lock.lock()
        defer { lock.unlock() }
        if let template { return template }
        let name = "qa_template_\(getpid())"
        do {
            let connection = try Connection(admin)
            try connection.execute(SQL(verbatim: "DROP DATABASE IF EXISTS \(quotedIdentifier(name))"))
            try connection.execute(SQL(verbatim: "CREATE DATABASE \(quotedIdentifier(name))"))
        }
        do {
            let connection = try Connection("\(admin) dbname=\(name)")
            _ = try Migrator(migrations: try Migration.bundled()).migrate(connection)
        }
        template = name
        return name
    }
}
