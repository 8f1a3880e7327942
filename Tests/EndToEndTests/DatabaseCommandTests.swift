import Foundation
import QAStore
import Testing
import TestSupport

@Suite struct DatabaseCommandTests {
    @Test func migrateTwiceSaysTheSecondRunChangedNothing() throws {
        let db = try TestDatabase.create(migrated: false)
        let first = try runTool(["migrate", "--database", db.conninfo])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied 001_reference_data"))
        let second = try runTool(["migrate", "--database", db.conninfo])
        #expect(second.status == 0)
        #expect(second.stdout.hasPrefix("nothing to do: all \(try Migration.bundled().count) migrations already applied"))
    }

    /// A database that `migrate` has not (fully) prepared gets the next step, not a missing-relation error.
    @Test func anUnmigratedDatabaseIsNamedWithTheCommandThatPreparesIt() throws {
        let db = try TestDatabase.create(migrated: false)
        let file = try RepositoryPaths.temporaryFolder("unmigrated").appendingPathComponent("e.csv").path
        try Data("evidence_id,school,activity,date,S1\nE1,Oakfield Academy,lesson visit,2023-03-14,G\n".utf8)
            .write(to: URL(fileURLWithPath: file))
        for arguments in [["load", file], ["query", "feedback"]] {
            let result = try runTool(arguments + ["--database", db.conninfo])
            #expect(result.status == 1)
            #expect(result.stderr.contains("has no qa-analytics tables yet: create them with `qa-analytics migrate --database ...`"),
                    "\(result.stderr)")
        }
        #expect(try runTool(["migrate", "--database", db.conninfo]).status == 0)
        let count = try Migration.bundled().count
        try db.connect().execute("DELETE FROM public.qa_schema_migration WHERE version = (SELECT max(version) FROM public.qa_schema_migration)")
        let behind = try runTool(["query", "feedback", "--database", db.conninfo])
        #expect(behind.status == 1)
        #expect(behind.stderr.contains("has \(count - 1) of the \(count) migrations this qa-analytics needs"), "\(behind.stderr)")
    }

    @Test func embeddedDatabaseLifecycleThroughTheCommandLine() throws {
        let folder = try RepositoryPaths.temporaryFolder("cli-embedded")
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = ["QA_DATA_DIR": folder.path + "/data"]
        #expect(try runTool(["db", "status"], environment: env).status == 4)
        let migrate = try runTool(["migrate"], environment: env)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(migrate.stderr.contains("created a PostgreSQL cluster"))
        #expect(try runTool(["db", "status"], environment: env).status == 0)
        let url = try runTool(["db", "url"], environment: env)
        #expect(url.stdout == "host=\(folder.path)/data/run port=5432 dbname=qa_analytics user=postgres\n")
        #expect(try runTool(["db", "stop"], environment: env).stdout.hasPrefix("stopped"))
        #expect(try runTool(["db", "status"], environment: env).status == 3)
        // Any command starts it again by itself.
        let again = try runTool(["migrate"], environment: env)
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("nothing to do"))
        #expect(again.stderr.contains("started PostgreSQL"))
        #expect(try runTool(["db", "stop"], environment: env).status == 0)
    }

    @Test func aPasswordOnTheCommandLineIsRefused() throws {
        let result = try runTool(["migrate", "--database", "host=localhost password=hunter2"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("must not carry a password"))
        #expect(!result.stderr.contains("hunter2"))
    }

    @Test func anUnreachableServerExitsOneNamingTheHost() throws {
        let result = try runTool(["migrate", "--database", "host=127.0.0.1 port=1 connect_timeout=3"],
                                 environment: ["PGPASSWORD": "topsecret"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("host 127.0.0.1 port 1"))
        #expect(!result.stderr.contains("topsecret"))
    }
}
