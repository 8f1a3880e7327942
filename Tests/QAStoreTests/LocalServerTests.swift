import Foundation
import Postgres
import QAStore
import Testing
import TestSupport

@Suite struct LocalServerTests {
    @Test func createsStartsStopsAndRestartsOnDemand() throws {
        let folder = try RepositoryPaths.temporaryFolder("embedded")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = LocalServer(dataDirectory: folder.path + "/data")
        #expect(try server.status() == .notCreated)
        let steps = try server.start()
        #expect(steps.count == 3)
        #expect(try server.status() == .running)
        #expect(try server.start() == [])
        let connection = try Connection(server.connectionString)
        #expect(connection.database == "qa_analytics")
        #expect(try server.stop())
        #expect(try server.status() == .stopped)
        #expect(try server.stop() == false)
        #expect(try server.start() == ["started PostgreSQL (socket in \(server.socketDirectory))"])
        #expect(try Connection(server.connectionString).database == "qa_analytics")
        // Socket only: the configuration turns TCP off.
        let listen = try Connection(server.connectionString).query("SHOW listen_addresses").single()
        #expect(try listen.decode("listen_addresses", as: String.self) == "")
        try server.stop()
    }

    @Test func theDatabaseIsChosenInTheDocumentedOrder() {
        let home = ["HOME": "/home/head"]
        #expect(DatabaseTarget.choose(database: "host=db", dataDirectory: nil, environment: ["QA_DATABASE_URL": "x"]) == .configured(conninfo: "host=db"))
        #expect(DatabaseTarget.choose(database: nil, dataDirectory: nil, environment: ["QA_DATABASE_URL": "x"]) == .configured(conninfo: "x"))
        #expect(DatabaseTarget.choose(database: nil, dataDirectory: nil, environment: ["PGSERVICE": "qa"]) == .configured(conninfo: ""))
        #expect(DatabaseTarget.choose(database: nil, dataDirectory: nil, environment: home) == .embedded(dataDirectory: "/home/head/.local/share/qa-analytics"))
        #expect(DatabaseTarget.choose(database: nil, dataDirectory: nil, environment: home.merging(["XDG_DATA_HOME": "/xdg"]) { $1 })
            == .embedded(dataDirectory: "/xdg/qa-analytics"))
        #expect(DatabaseTarget.choose(database: nil, dataDirectory: nil, environment: home.merging(["XDG_DATA_HOME": "/xdg", "QA_DATA_DIR": "/qa"]) { $1 })
            == .embedded(dataDirectory: "/qa"))
        #expect(DatabaseTarget.choose(database: nil, dataDirectory: "/flag", environment: ["QA_DATA_DIR": "/qa"]) == .embedded(dataDirectory: "/flag"))
    }
}
