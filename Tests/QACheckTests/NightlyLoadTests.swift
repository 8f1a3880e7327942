import Foundation
import Postgres
import Testing
import TestSupport

/// `Scripts/nightly-load` end to end: a real inbox, the built binary, a real database.
@Suite struct NightlyLoadTests {
    static let header = "evidence_id,school,staff_id,staff_name,activity,subject,date,S1,S7"

    static func row(_ id: String, s1: String = "G", s7: String = "A") -> String {
        "\(id),Oakfield Academy,T\(id.count),Ann Smith,lesson visit,Maths,14/03/2024,\(s1),\(s7)"
    }

    /// Runs the script with the test binary as QA_BIN; returns its exit status and standard output.
    static func nightlyLoad(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        var environment = ProcessInfo.processInfo.environment
        for key in ["QA_DATABASE_URL", "PGHOST", "PGSERVICE", "PGDATABASE", "PGUSER", "PGPORT"] { environment[key] = nil }
        environment["QA_BIN"] = RepositoryPaths.binary.path
        let folder = try RepositoryPaths.temporaryFolder("nightly-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out").path, err = folder.appendingPathComponent("err").path
        let script = RepositoryPaths.root.appendingPathComponent("Scripts/nightly-load").path
        let process = try SpawnedProcess(
            "/bin/bash", [script] + arguments, environment: environment, stdin: "/dev/null", stdout: out, stderr: err)
        let status = process.wait(timeout: 300)
        return (status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    static func names(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func goodFilesAreArchivedABadOneFailsAndTheRunSaysSo() throws {
        let database = try TestDatabase.create()
        let inbox = try RepositoryPaths.temporaryFolder("inbox")
        // Ten good rows and one bad rating: loaded with a rejected row (exit 65), so archived with its rejects.
        try Self.write(([Self.header] + (1...10).map { Self.row("MON\($0)") } + [Self.row("MON11", s1: "Greem")])
            .joined(separator: "\n") + "\n", "2024-03-11-monday.csv", in: inbox)
        try Self.write("""
            {"evidence_id": "TUE1", "school": "Riverside High", "activity": "work scrutiny", "subject": "History", "date": "2024-03-12", "ratings": {"5": "G*"}}
            {"evidence_id": "TUE2", "school": "Riverside High", "activity": "work scrutiny", "subject": "History", "date": "2024-03-12", "ratings": {"6": "Green"}}
            {"evidence_id": "TUE3", "school": "Riverside High", "activity": "informal feedback", "subject": "Art", "date": "2024-03-12"}

            """, "2024-03-12-tuesday.jsonl", in: inbox)
        // No date column: the whole file is refused (exit 1).
        try Self.write("evidence_id,school,activity,subject\nWED1,Oakfield Academy,lesson visit,Maths\n", "2024-03-13-wednesday.csv", in: inbox)
        // Not evidence: an old rejects file and a note stay where they are.
        try Self.write("line,column,reason\n", "old.rejects.csv", in: inbox)
        try Self.write("hello", "notes.txt", in: inbox)

        let run = try Self.nightlyLoad([inbox.path, "--database", database.conninfo])

        #expect(run.status == 1)
        #expect(Self.names(in: inbox) == ["archive", "failed", "notes.txt", "old.rejects.csv"])
        #expect(Self.names(in: inbox.appendingPathComponent("archive")) == [
            "2024-03-11-monday.csv", "2024-03-11-monday.rejects.csv", "2024-03-12-tuesday.jsonl",
        ])
        #expect(Self.names(in: inbox.appendingPathComponent("failed")) == ["2024-03-13-wednesday.csv"])
        let rejects = try String(contentsOf: inbox.appendingPathComponent("archive/2024-03-11-monday.rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("12,S1,\"S1: \"\"Greem\"\" is not a RAGG* rating"))

        // The script's own lines, between which the check report is printed.
        let lines = run.output.split(separator: "\n").filter { $0.contains(" nightly-load: ") }
        #expect(lines.count == 4)
        #expect(lines[0].contains("nightly-load: loaded 2024-03-11-monday.csv with rejected rows (exit 65)"))
        #expect(lines[1].contains("nightly-load: loaded 2024-03-12-tuesday.jsonl (exit 0)"))
        #expect(lines[2].contains("nightly-load: FAILED 2024-03-13-wednesday.csv (exit 1)"))
        #expect(lines[3].contains("nightly-load: checks: warnings only (exit 2)"))
        #expect(lines.allSatisfy { $0.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "#, options: .regularExpression) != nil })
        #expect(run.errors.contains("the header has no date column"))
        // 11 rows on Monday, 3 on Tuesday, and Wednesday's file failed since: two warnings.
        #expect(run.output.contains("FAIL  warn   row_count_drop: 1 failing row\n"))
        #expect(run.output.contains("FAIL  warn   unfinished_loads: 1 failing row\n"))
        #expect(run.output.contains("2 of 8 checks failed: 0 error, 2 warn\n"))

        let connection = try database.connect()
        let counts = try connection.query("""
            SELECT (SELECT count(*) FROM qa.evidence) AS evidence, (SELECT count(*) FROM qa.rating) AS ratings,
                   (SELECT string_agg(status || ':' || rows_read || ':' || rejected, ',' ORDER BY batch_id) FROM qa.load_batch) AS batches
            """).single()
        #expect(try counts.decode("evidence", as: Int.self) == 13)
        #expect(try counts.decode("ratings", as: Int.self) == 22)
        #expect(try counts.decode("batches", as: String.self) == "succeeded_with_rejects:11:1,succeeded:3:0,failed:0:0")
    }

    @Test func aBusyLockLeavesTheFileForTheNextRun() throws {
        let database = try TestDatabase.create()
        let inbox = try RepositoryPaths.temporaryFolder("inbox")
        try Self.write([Self.header, Self.row("EV1")].joined(separator: "\n"), "evidence.csv", in: inbox)
        let holder = try database.connect()
        try holder.execute("SELECT pg_advisory_lock(7315002)")

        let run = try Self.nightlyLoad([inbox.path, "--database", database.conninfo, "--lock-timeout", "1"])

        #expect(run.status == 75)
        #expect(Self.names(in: inbox) == ["evidence.csv"])
        #expect(run.output.contains("lock busy: another load is running; left evidence.csv and any later files"))
        #expect(try database.connect().query("SELECT count(*) AS n FROM qa.evidence").single().decode("n", as: Int.self) == 0)
        try holder.execute("SELECT pg_advisory_unlock(7315002)")
    }

    @Test func anEmptyInboxStillRunsTheChecks() throws {
        let database = try TestDatabase.create()
        let inbox = try RepositoryPaths.temporaryFolder("inbox")
        let run = try Self.nightlyLoad([inbox.path, "--database", database.conninfo])
        // Never loaded: load_freshness fails, an error-level check.
        #expect(run.status == 3)
        #expect(run.output.contains("checks: an error-level check failed or the checks could not run (exit 1)"))
        #expect(try Self.nightlyLoad([inbox.appendingPathComponent("missing").path]).status == 64)
    }
}
