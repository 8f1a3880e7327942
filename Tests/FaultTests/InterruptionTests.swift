import Foundation
import Postgres
import QAStore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Loads killed at random moments. Serialized: it measures a load's duration and spreads its kills over it.
@Suite(.serialized) struct KillTests {
    /// SIGKILL at random moments spread over a whole load: afterwards the database holds nothing from the
    /// file or all of it, never part, and the next run leaves every record there exactly once.
    /// 12 kills by default; `QA_SOAK=1` makes it 60. `QA_FAULT_SEED=N` replays another sequence of delays.
    @Test func killedLoadsCommitAllOrNothingAndTheNextRunLoadsEachRecordOnce() throws {
        let folder = try RepositoryPaths.temporaryFolder("fault-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = 1000
        let file = folder.appendingPathComponent("evidence.csv").path
        try generateEvidence(records: records, seed: 11, to: file)

        // One undisturbed load first: how long a load takes here, and what "all of it" looks like.
        let reference = try TestDatabase.create()
        let started = Date()
        let first = try runTool(["load", file, "--database", reference.conninfo])
        let duration = Date().timeIntervalSince(started)
        try #require(first.status == 0, "\(first.stderr.suffix(2000))")
        let all = try reference.connect().evidenceAndRatings()
        try #require(all.evidence == records)
        try #require(all.ratings > records)

        var random = SeededRandom(seed: faultSeed(20_241_105))
        let iterations = soak ? 60 : 12
        var outcomes: [String] = []
        for iteration in 0..<iterations {
            let db = try TestDatabase.create()
            let connection = try db.connect()
            // Delays spread evenly over the measured duration (plus a little past it), jittered by the seed.
            let slot = (Double(iteration) + Double.random(in: 0..<1, using: &random)) / Double(iterations)
            let delay = slot * duration * 1.1
            let out = folder.appendingPathComponent("out-\(iteration)").path
            let err = folder.appendingPathComponent("err-\(iteration)").path
            let process = try SpawnedProcess(
                RepositoryPaths.binary.path, ["load", file, "--database", db.conninfo],
                environment: toolEnvironment(), stdin: "/dev/null", stdout: out, stderr: err)
            usleep(UInt32(delay * 1_000_000))
            process.signal(SIGKILL)
            let status = process.wait(timeout: 120)
            #expect(status == 128 + SIGKILL || status == 0, "iteration \(iteration): exit \(status)")

            // The killed client's server session may still be finishing a statement or a COMMIT; whatever it
            // does, each look at the tables must see none of the file or all of it.
            let afterKill = try connection.evidenceAndRatings()
            #expect(afterKill == (0, 0) || afterKill == all,
                    "iteration \(iteration) (killed after \(String(format: "%.2f", delay)) s): \(afterKill) of \(all)")
            outcomes.append(afterKill.evidence == 0 ? "nothing" : "all")

            let rerun = try runTool(["load", file, "--database", db.conninfo, "--log-format", "json"])
            #expect(rerun.status == 0, "iteration \(iteration): \(rerun.stderr.suffix(2000))")
            let report = LoadFinished.all(in: rerun.stderr)
            #expect(report.count == 1)
            if let report = report.first {
                #expect(report.rowsRead == records)
                #expect(report.inserted + report.unchanged == records, "iteration \(iteration): \(report)")
                #expect(report.updated == 0 && report.rejected == 0)
            }
            let afterRerun = try connection.evidenceAndRatings()
            #expect(afterRerun == all, "iteration \(iteration): \(afterRerun) of \(all)")
            #expect(try connection.count("SELECT count(DISTINCT (source, evidence_id)) AS n FROM qa.evidence") == records)
            // The killed load's batch row no longer claims to be running.
            #expect(try connection.count("SELECT count(*) AS n FROM qa.load_batch WHERE status = 'running'") == 0)
            // One succeeded batch, or two when the killed load had already committed.
            let committedBefore = report.first?.unchanged == records
            #expect(try connection.count("SELECT count(*) AS n FROM qa.load_batch WHERE status = 'succeeded'") == (committedBefore ? 2 : 1))
        }
        // The delays must have caught loads in flight, not only before they started or after they ended.
        #expect(outcomes.contains("nothing"), "\(outcomes)")
    }

}

/// The server stopping mid-load. It uses its own server, so it can run beside the other suites.
@Suite(.serialized) struct ServerStopTests {
    /// The PostgreSQL server is shut down (fast mode) in the middle of a load: the loader exits 1 naming
    /// the cause; after a restart a re-run loads the file completely. A private server in a temporary data
    /// directory, so the shared test server is not disturbed.
    @Test func theServerStoppingMidLoadFailsCleanlyAndARerunAfterRestartLoadsEverything() throws {
        let folder = try RepositoryPaths.temporaryFolder("fault-server")
        let dataDir = folder.appendingPathComponent("data").path
        defer {
            _ = try? runTool(["db", "stop", "--data-dir", dataDir])
            try? FileManager.default.removeItem(at: folder)
        }
        let start = try runTool(["db", "start", "--data-dir", dataDir], timeout: 120)
        try #require(start.status == 0, "\(start.stderr)")
        let url = try runTool(["db", "url", "--data-dir", dataDir]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let migrate = try runTool(["migrate", "--database", url])
        try #require(migrate.status == 0, "\(migrate.stderr)")

        let records = 10_000
        let file = folder.appendingPathComponent("evidence.csv").path
        try generateEvidence(records: records, seed: 12, to: file)
        let out = folder.appendingPathComponent("out").path, err = folder.appendingPathComponent("err").path
        let load = try SpawnedProcess(
            RepositoryPaths.binary.path, ["load", file, "--database", url], environment: toolEnvironment(),
            stdin: "/dev/null", stdout: out, stderr: err)
        // Stop the server once the load has started its batch (it is then streaming rows into its transaction).
        do {
            let watcher = try Connection(url)
            let deadline = Date().addingTimeInterval(60)
            while try watcher.count("SELECT count(*) AS n FROM qa.load_batch WHERE status = 'running'") == 0 {
                try #require(load.poll() == nil, "the load ended before the server could be stopped")
                try #require(Date() < deadline, "the load never started")
                usleep(20_000)
            }
        }
        usleep(300_000)
        try #require(load.poll() == nil, "the load finished before the server was stopped; use a bigger file")
        let stop = try runTool(["db", "stop", "--data-dir", dataDir], timeout: 120)
        #expect(stop.status == 0, "\(stop.stderr)")
        let status = load.wait(timeout: 120)
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(status == 1, "\(stderr.suffix(2000))")
        let causes = ["server closed the connection", "terminating connection due to administrator command", "connection to server"]
        #expect(causes.contains { stderr.contains($0) }, "\(stderr.suffix(2000))")
        #expect(stderr.contains("evidence.csv: the load did not finish: "), "\(stderr.suffix(2000))")
        #expect(stderr.contains("Run it again when the server is back"), "\(stderr.suffix(2000))")

        let restart = try runTool(["db", "start", "--data-dir", dataDir], timeout: 120)
        try #require(restart.status == 0, "\(restart.stderr)")
        let connection = try Connection(url)
        #expect(try connection.evidenceAndRatings().evidence == 0)
        let rerun = try runTool(["load", file, "--database", url, "--log-format", "json"])
        #expect(rerun.status == 0, "\(rerun.stderr.suffix(2000))")
        #expect(LoadFinished.all(in: rerun.stderr) == [LoadFinished(rowsRead: records, inserted: records)])
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == records)
        let statuses = try connection.query("SELECT status FROM qa.load_batch ORDER BY batch_id").map { try $0.decode("status", as: String.self) }
        #expect(statuses == ["interrupted", "succeeded"])
    }

}

/// Concurrent loads. Serialized: the two-process case and the four-process case must not overlap.
@Suite(.serialized) struct ConcurrentLoadTests {
    /// Two, then four, loads of overlapping files at once against one database: all succeed (the load
    /// lock makes them take turns), every record is there once, and the batches' counts add up.
    @Test(arguments: [2, 4]) func concurrentLoadsOfOverlappingFilesStoreEveryRecordOnce(processes: Int) throws {
        let folder = try RepositoryPaths.temporaryFolder("fault-concurrent")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("all.csv").path
        // Windows of 1,200 records starting every 800: neighbours share 400 records.
        let window = 1200, step = 800
        let total = window + step * (processes - 1)
        try generateEvidence(records: total, seed: 13, to: source)
        let (header, lines) = try csvRecords(source)
        try #require(lines.count == total)
        var files: [String] = []
        for k in 0..<processes {
            let path = folder.appendingPathComponent("part-\(k).csv").path
            try writeText(([header] + lines[(k * step)..<(k * step + window)]).joined(separator: "\n") + "\n", to: path)
            files.append(path)
        }

        let db = try TestDatabase.create()
        let running = try files.enumerated().map { k, file in
            try SpawnedProcess(
                RepositoryPaths.binary.path, ["load", file, "--database", db.conninfo, "--log-format", "json"],
                environment: toolEnvironment(), stdin: "/dev/null",
                stdout: folder.appendingPathComponent("out-\(k)").path, stderr: folder.appendingPathComponent("err-\(k)").path)
        }
        var reports: [LoadFinished] = []
        for (k, process) in running.enumerated() {
            let status = process.wait(timeout: 300)
            let stderr = (try? String(contentsOfFile: folder.appendingPathComponent("err-\(k)").path, encoding: .utf8)) ?? ""
            #expect(status == 0, "load \(k): \(stderr.suffix(2000))")
            reports += LoadFinished.all(in: stderr)
        }
        #expect(reports.count == processes)
        #expect(reports.allSatisfy { $0.rowsRead == window && $0.inserted + $0.unchanged == window && $0.isBalanced })
        #expect(reports.map(\.inserted).reduce(0, +) == total)
        #expect(reports.map(\.unchanged).reduce(0, +) == window * processes - total)

        let connection = try db.connect()
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == total)
        #expect(try connection.count("SELECT count(DISTINCT (source, evidence_id)) AS n FROM qa.evidence") == total)
        #expect(try connection.count("""
            SELECT count(*) AS n FROM qa.evidence
             WHERE evidence_id NOT IN (SELECT 'EV' || lpad(i::text, 7, '0') FROM generate_series(1, \(total)) i)
            """) == 0)
        #expect(try connection.count("SELECT coalesce(sum(inserted), 0)::int AS n FROM qa.load_batch WHERE status = 'succeeded'") == total)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.load_batch WHERE status = 'succeeded'") == processes)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence_history") == 0)
    }
}
