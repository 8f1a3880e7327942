import Foundation
import Postgres
import Testing
import TestSupport

/// The documented exit codes of `qa-analytics load`, and what it prints.
@Suite struct LoadCommandTests {
    static let header = "evidence_id,school,activity,subject,date,S1"

    func file(_ rows: [String], name: String = "evidence.csv") throws -> String {
        let path = try RepositoryPaths.temporaryFolder("load-cli").appendingPathComponent(name).path
        try Data(([Self.header] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func exitCodesFollowTheDocumentation() throws {
        let db = try TestDatabase.create()
        let good = try file(["E1,Oakfield,lesson visit,Maths,2023-03-14,G", "E2,Oakfield,lesson visit,Maths,2023-03-15,A"])
        let ok = try runTool(["load", good, "--database", db.conninfo])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("evidence.csv: loaded 2 rows: 2 new, 0 updated, 0 unchanged, 0 rejected"))

        let some = try file((1...10).map { "F\($0),Oakfield,lesson visit,Maths,2023-03-14,G" } + ["F11,Oakfield,lesson visit,Maths,2023-03-14,Greem"])
        let partial = try runTool(["load", some, "--database", db.conninfo, "--max-rejects", "20%"])
        #expect(partial.status == 65, "\(partial.stderr)")
        #expect(partial.stderr.contains("evidence.csv:12: rejected: S1: \"Greem\" is not a RAGG* rating"))

        let aborted = try runTool(["load", some, "--database", db.conninfo, "--max-rejects", "0"])
        #expect(aborted.status == 1)
        #expect(aborted.stderr.contains("aborted: 1 of 11 rows were rejected, more than --max-rejects 0 rows"))

        let usage = try runTool(["load", good, "--database", db.conninfo, "--max-rejects", "lots"])
        #expect(usage.status == 64)
        let missing = try runTool(["load", "/nonexistent/file.csv", "--database", db.conninfo])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("cannot read /nonexistent/file.csv"))

        let holder = try db.connect()
        try holder.execute("SELECT pg_advisory_lock(7315002)")
        let busy = try runTool(["load", good, "--database", db.conninfo, "--lock-timeout", "0.5"])
        #expect(busy.status == 75)
        #expect(busy.stderr.contains("another load is running"))
        try holder.execute("SELECT pg_advisory_unlock(7315002)")
    }

    @Test func jsonLogsOneObjectPerEvent() throws {
        let db = try TestDatabase.create()
        let path = try file(["E1,Oakfield,lesson visit,Maths,2023-03-14,G"])
        let result = try runTool(["load", path, "--database", db.conninfo, "--log-format", "json"])
        #expect(result.status == 0)
        let events = try result.stderr.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] ?? [:]
        }
        let finished = try #require(events.first { $0["event"] == "load_finished" })
        #expect(finished["inserted"] == "1")
        #expect(finished["rows_read"] == "1")
        #expect(finished["status"] == "succeeded")
    }

    @Test func aFailedFileOutranksRejectedRowsWhateverTheOrder() throws {
        let db = try TestDatabase.create()
        let broken = try file([], name: "a-broken.csv")
        try Data("not,an,evidence,header\n1,2,3,4\n".utf8).write(to: URL(fileURLWithPath: broken))
        let rejects = try file(["E1,Oakfield,lesson visit,Maths,2023-03-14,G", "E2,Oakfield,lesson visit,Maths,2023-03-14,?"], name: "b.csv")
        let result = try runTool(["load", broken, rejects, "--database", db.conninfo, "--max-rejects", "100%"])
        #expect(result.status == 1)
    }
}
