import Foundation
import Postgres
import QACore
import QALoad
import QARead
import Testing
import TestSupport

@Suite struct LoaderTests {
    @Test func loadsExcelStyleCSVWithBOMCRLFAndMultiLineFields() throws {
        let connection = try TestDatabase.create().connect()
        let rows = [
            evidenceRow("EV1", yearGroups: "Y7;Y9", cohorts: "SEND;Boys", ratings: [1: "Gold", 2: "g", 3: "amber", 4: "R"],
                        strengths: "\"Clear routines, \"\"calm\"\" start\r\nand a second line\""),
            evidenceRow("EV2", school: "Riverside High", staff: "T002", staffName: "Bo Lee", activity: "Work scrutiny",
                        subject: "History", date: "14/03/2023", verbal: "15/03/2023", ratings: [5: "G*", 6: "G"]),
            evidenceRow("EV3", activity: "peer review", subject: "", ratings: [:]),
        ]
        let text = "\u{FEFF}" + ([evidenceHeader] + rows).joined(separator: "\r\n") + "\r\n"
        let report = try load(try writeEvidenceFile(text), into: connection)
        #expect(report.rowsRead == 3)
        #expect(report.inserted == 3)
        #expect(report.rejected == 0)
        #expect(report.isBalanced)
        #expect(report.status == .succeeded)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.rating") == 6)
        let ev1 = try connection.query("""
            SELECT e.strengths, e.year_groups::text AS years, e.cohorts::text AS cohorts, s.name AS school,
                   (SELECT string_agg(standard || ':' || rating, ',' ORDER BY standard) FROM qa.rating r WHERE r.evidence_pk = e.evidence_pk) AS ratings
              FROM qa.evidence e JOIN qa.school s USING (school_id) WHERE evidence_id = 'EV1'
            """).single()
        #expect(try ev1.decode("strengths", as: String.self) == "Clear routines, \"calm\" start\r\nand a second line")
        #expect(try ev1.decode("years", as: String.self) == "{7,9}")
        #expect(try ev1.decode("cohorts", as: String.self) == "{SEND,Boys}")
        #expect(try ev1.decode("ratings", as: String.self) == "1:gold,2:green,3:amber,4:red")
        let ev2 = try connection.query("SELECT activity, activity_date::text AS d, verbal_feedback_date::text AS v, academic_year FROM qa.evidence WHERE evidence_id = 'EV2'").single()
        #expect(try ev2.decode("activity", as: String.self) == "work_scrutiny")
        #expect(try ev2.decode("d", as: String.self) == "2023-03-14")
        #expect(try ev2.decode("v", as: String.self) == "2023-03-15")
        #expect(try ev2.decode("academic_year", as: Int.self) == 2022)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence WHERE evidence_id = 'EV3' AND subject_id IS NULL") == 1)
        let batch = try connection.query("SELECT status, rows_read, inserted, sha256, file_size FROM qa.load_batch WHERE batch_id = \(report.batchID)").single()
        #expect(try batch.decode("status", as: String.self) == "succeeded")
        #expect(try batch.decode("rows_read", as: Int.self) == 3)
        #expect(try batch.decode("sha256", as: String.self) == SHA256Hex.of(text))
        #expect(try batch.decode("file_size", as: Int.self) == text.utf8.count)
    }

    @Test func reloadingTheSameFileChangesNothing() throws {
        let connection = try TestDatabase.create().connect()
        let path = try csvFile((1...20).map { evidenceRow("EV\($0)", staff: "T\($0 % 4)") })
        let first = try load(path, into: connection)
        #expect(first.inserted == 20)
        let before = try connection.fingerprint()
        let second = try load(path, into: connection)
        #expect(second.rowsRead == 20)
        #expect(second.inserted == 0)
        #expect(second.updated == 0)
        #expect(second.unchanged == 20)
        #expect(second.warnings.isEmpty)
        #expect(try connection.fingerprint() == before)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.load_batch WHERE status = 'succeeded'") == 2)
    }

    @Test func aChangedRecordIsUpdatedAndItsPreviousVersionKept() throws {
        let connection = try TestDatabase.create().connect()
        _ = try load(try csvFile([evidenceRow("EV1", ratings: [1: "G", 7: "A"]), evidenceRow("EV2")]), into: connection)
        let report = try load(try csvFile([evidenceRow("EV1", ratings: [1: "G", 7: "R", 8: "G"]), evidenceRow("EV2")]), into: connection)
        #expect(report.updated == 1)
        #expect(report.unchanged == 1)
        #expect(report.inserted == 0)
        let ratings = try connection.query("""
            SELECT string_agg(standard || ':' || rating, ',' ORDER BY standard) AS r FROM qa.rating
             WHERE evidence_pk = (SELECT evidence_pk FROM qa.evidence WHERE evidence_id = 'EV1')
            """).single()
        #expect(try ratings.decode("r", as: String.self) == "1:green,7:red,8:green")
        let history = try connection.query("""
            SELECT evidence_id, previous->'ratings'->>'7' AS old7, previous->'ratings'->>'8' AS old8, replaced_batch
              FROM qa.evidence_history
            """)
        #expect(history.rowCount == 1)
        #expect(try history[0].decode("evidence_id", as: String.self) == "EV1")
        #expect(try history[0].decode("old7", as: String.self) == "amber")
        #expect(try history[0].decode("old8", as: String?.self) == nil)
        #expect(try history[0].decode("replaced_batch", as: Int.self) == report.batchID)
    }

    @Test func snapshotWithdrawsAbsentRecordsAndAReloadReinstatesThem() throws {
        let connection = try TestDatabase.create().connect()
        let all = try csvFile([evidenceRow("EV1"), evidenceRow("EV2"), evidenceRow("EV3")])
        _ = try load(all, into: connection)
        // EV2 is gone from the export; EV3's row is rejected this time (bad rating) but still listed.
        let partial = try csvFile([evidenceRow("EV1"), evidenceRow("EV3", ratings: [1: "Greem"])])
        let snap = try load(partial, into: connection, loadOptions(snapshot: true, maxRejects: .percent(50)))
        #expect(snap.withdrawn == 1)
        #expect(snap.rejected == 1)
        #expect(snap.unchanged == 1)
        let withdrawn = try connection.query("SELECT evidence_id FROM qa.evidence WHERE withdrawn_at IS NOT NULL")
        #expect(withdrawn.rowCount == 1)
        #expect(try withdrawn[0].decode("evidence_id", as: String.self) == "EV2")
        // Another source's records are never touched by this source's snapshot.
        let reinstated = try load(all, into: connection)
        #expect(reinstated.updated == 1)
        #expect(reinstated.unchanged == 2)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence WHERE withdrawn_at IS NOT NULL") == 0)
    }

    @Test func aRepeatedEvidenceIDRejectsBothRowsEachNamingTheOther() throws {
        let connection = try TestDatabase.create().connect()
        let path = try csvFile([evidenceRow("EV1"), evidenceRow("EV2", subject: "Art"), evidenceRow("EV1", subject: "Music"), evidenceRow("EV3")])
        let report = try load(path, into: connection, loadOptions(maxRejects: .percent(60)))
        #expect(report.rowsRead == 4)
        #expect(report.inserted == 2)
        #expect(report.rejected == 2)
        #expect(report.status == .succeededWithRejects)
        let rejects = try connection.query("SELECT line, column_name, reason, original FROM qa.load_reject ORDER BY line")
        #expect(rejects.rowCount == 2)
        #expect(try rejects[0].decode("line", as: Int.self) == 2)
        #expect(try rejects[0].decode("column_name", as: String.self) == "evidence_id")
        #expect(try rejects[0].decode("reason", as: String.self)
            == "evidence_id \"EV1\" is also used on line 4 of this file; only one row may have an id, so neither was loaded: keep the right one and reload")
        #expect(try rejects[1].decode("reason", as: String.self).contains("also used on line 2"))
        #expect(try rejects[1].decode("original", as: String.self) == evidenceRow("EV1", subject: "Music"))
        let file = try String(contentsOfFile: try #require(report.rejectsFile), encoding: .utf8)
        #expect(file.contains("also used on line 4"))
        #expect(file.contains("Music"))
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence WHERE evidence_id = 'EV1'") == 0)
    }

    @Test func rejectedRowsGoToTheFileAndTheTableWithLineColumnAndReason() throws {
        let connection = try TestDatabase.create().connect()
        let path = try csvFile([
            evidenceRow("EV1"), evidenceRow("EV2", ratings: [5: "Greem"]), evidenceRow("EV3", date: "31/02/2023"),
            evidenceRow("EV4", activity: "walkabout"), evidenceRow("EV5"),
        ])
        let report = try load(path, into: connection, loadOptions(maxRejects: .count(5)))
        #expect(report.rowsRead == 5)
        #expect(report.inserted == 2)
        #expect(report.rejected == 3)
        #expect(report.isBalanced)
        let rejects = try connection.query("SELECT line, column_name, reason, evidence_id FROM qa.load_reject ORDER BY line")
        #expect(try rejects.rows.map { try $0.decode("line", as: Int.self) } == [3, 4, 5])
        #expect(try rejects.rows.map { try $0.decode("column_name", as: String.self) } == ["S5", "date", "activity"])
        #expect(try rejects[0].decode("reason", as: String.self)
            == "S5: \"Greem\" is not a RAGG* rating; expected Gold/G*, Green/G, Amber/A or Red/R")
        #expect(try rejects[1].decode("evidence_id", as: String.self) == "EV3")
        let rejectsPath = try #require(report.rejectsFile)
        #expect(rejectsPath == path.replacingOccurrences(of: ".csv", with: ".rejects.csv"))
        let lines = try String(contentsOfFile: rejectsPath, encoding: .utf8).split(separator: "\r\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("3,S5,"))
    }

    @Test func tooManyRejectsAbortsTheFileAndLeavesTheDatabaseExactlyAsBefore() throws {
        let connection = try TestDatabase.create().connect()
        _ = try load(try csvFile([evidenceRow("EV1"), evidenceRow("EV2")]), into: connection)
        let before = try connection.fingerprint()
        let rows = (3...12).map { evidenceRow("EV\($0)", school: "New School \($0)") } + [evidenceRow("EV1", ratings: [1: "R"])]
            + [evidenceRow("BAD1", ratings: [1: "x"]), evidenceRow("BAD2", date: "2099-01-01")]
        let error = #expect(throws: LoadError.self) {
            try load(try csvFile(rows), into: connection, loadOptions(maxRejects: .percent(10)))
        }
        guard case .tooManyRejects(let rejected, let read, _, _, let batch) = error else {
            Issue.record("expected tooManyRejects, got \(String(describing: error))")
            return
        }
        #expect(rejected == 2)
        #expect(read == 13)
        #expect(try connection.fingerprint() == before)
        let status = try connection.query("SELECT status, message FROM qa.load_batch WHERE batch_id = \(batch)").single()
        #expect(try status.decode("status", as: String.self) == "aborted")
        #expect(try status.decode("message", as: String.self).hasPrefix("aborted: 2 of 13 rows were rejected, more than --max-rejects 10%"))
    }

    @Test func aCountLimitStopsAsSoonAsItIsPassed() throws {
        let connection = try TestDatabase.create().connect()
        let rows = (1...50).map { evidenceRow("EV\($0)", ratings: [1: "nope"]) }
        let error = #expect(throws: LoadError.self) { try load(try csvFile(rows), into: connection, loadOptions(maxRejects: .count(0))) }
        guard case .tooManyRejects(let rejected, let read, _, _, _) = error else {
            Issue.record("expected tooManyRejects")
            return
        }
        #expect(rejected == 1)
        #expect(read == 1)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == 0)
    }

    @Test func newSchoolsSubjectsAndStaffAreReportedOnce() throws {
        let connection = try TestDatabase.create().connect()
        _ = try load(try csvFile([evidenceRow("EV1")]), into: connection)
        let report = try load(try csvFile([evidenceRow("EV2", school: "Oakfeild Academy"), evidenceRow("EV3", school: "OAKFIELD ACADEMY")]), into: connection)
        #expect(report.warnings.map(\.message) == [
            "new school \"Oakfeild Academy\" created; if it is a misspelling of an existing one, correct the file and reload",
        ])
        #expect(try connection.count("SELECT count(*) AS n FROM qa.school") == 2)
        let stored = try connection.count("SELECT count(*) AS n FROM qa.load_warning WHERE batch_id = \(report.batchID)")
        #expect(stored == 1)
    }

    @Test func lessonVisitRatingMoreThanFourStandardsLoadsWithAWarning() throws {
        let connection = try TestDatabase.create().connect()
        _ = try load(try csvFile([evidenceRow("EV0")]), into: connection)
        let report = try load(try csvFile([evidenceRow("EV1", ratings: [1: "G", 2: "G", 3: "G", 4: "G", 5: "G", 6: "A"])]), into: connection)
        #expect(report.inserted == 1)
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.line == 2)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.load_warning WHERE batch_id = \(report.batchID) AND line = 2") == 1)
    }

    @Test func dryRunReportsButWritesNothing() throws {
        let connection = try TestDatabase.create().connect()
        let report = try load(try csvFile([evidenceRow("EV1"), evidenceRow("EV2", ratings: [2: "?"])]), into: connection,
                              loadOptions(dryRun: true, maxRejects: .percent(50)))
        #expect(report.status == .dryRun)
        #expect(report.inserted == 1)
        #expect(report.rejected == 1)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == 0)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.school") == 0)
        let batch = try connection.query("SELECT status, inserted FROM qa.load_batch WHERE batch_id = \(report.batchID)").single()
        #expect(try batch.decode("status", as: String.self) == "dry_run")
        #expect(try batch.decode("inserted", as: Int.self) == 1)
    }

    @Test func jsonLinesLoadToTheSameRecordsAsCSV() throws {
        let connection = try TestDatabase.create().connect()
        let lines = [
            #"{"evidence_id": "J1", "school": "Oakfield Academy", "activity": "lesson visit", "subject": "Maths", "date": "2023-03-14", "ratings": {"1": "G", "7": "Amber"}, "year_groups": ["Y7"], "cohorts": ["SEND", "EAL"]}"#,
            #"{"evidence_id": "J2", "school": "Oakfield Academy", "activity": "deep_dive", "subject": "Maths", "date": "2023-03-15", "ratings": {"5": "gold"}, "deep_dive_id": "DD1"}"#,
        ]
        let report = try load(try writeEvidenceFile(lines.joined(separator: "\n") + "\n", name: "e.jsonl"), into: connection)
        #expect(report.inserted == 2)
        let row = try connection.query("""
            SELECT e.cohorts::text AS c, (SELECT string_agg(rating::text, ',' ORDER BY standard) FROM qa.rating r WHERE r.evidence_pk = e.evidence_pk) AS r
              FROM qa.evidence e WHERE evidence_id = 'J1'
            """).single()
        #expect(try row.decode("c", as: String.self) == "{SEND,EAL}")
        #expect(try row.decode("r", as: String.self) == "green,amber")
    }

    @Test func anInterruptedLoadIsMarkedByTheNextOne() throws {
        let connection = try TestDatabase.create().connect()
        try connection.execute("INSERT INTO qa.load_batch (source, file_name, format) VALUES ('standards-tracker', 'killed.csv', 'csv')")
        _ = try load(try csvFile([evidenceRow("EV1")]), into: connection)
        let old = try connection.query("SELECT status FROM qa.load_batch WHERE file_name = 'killed.csv'").single()
        #expect(try old.decode("status", as: String.self) == "interrupted")
    }

    @Test func aSecondLoadWaitsForTheLockThenGivesUp() throws {
        let db = try TestDatabase.create()
        let holder = try db.connect()
        try holder.execute("SELECT pg_advisory_lock(7315002)")
        let connection = try db.connect()
        let error = #expect(throws: LoadError.self) {
            try load(try csvFile([evidenceRow("EV1")]), into: connection, loadOptions(lockTimeout: 0.5))
        }
        guard case .lockBusy = error else {
            Issue.record("expected lockBusy")
            return
        }
        #expect(try connection.count("SELECT count(*) AS n FROM qa.load_batch") == 0)
        try holder.execute("SELECT pg_advisory_unlock(7315002)")
        #expect(try load(try csvFile([evidenceRow("EV1")]), into: connection).inserted == 1)
    }

    @Test func theAccountingIdentityHoldsOnAGeneratedFileWithBadRows() throws {
        let connection = try TestDatabase.create().connect()
        let folder = try RepositoryPaths.temporaryFolder("gen")
        let path = folder.appendingPathComponent("gen.csv").path
        let generated = try runTool(["generate", "--schools", "4", "--records", "3000", "--seed", "11", "--varied-spellings", "--out", path])
        #expect(generated.status == 0, "\(generated.stderr)")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += evidenceRow("X1", ratings: [1: "Greem"]) + "\n" + evidenceRow("X2", date: "2023-02-30") + "\n" + evidenceRow("EV0000001") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let report = try load(path, into: connection)
        #expect(report.rowsRead == 3003)
        #expect(report.rejected == 4)  // two bad rows, and EV0000001 twice
        #expect(report.inserted == 2999)
        #expect(report.isBalanced)
        let stored = try connection.query("SELECT rows_read, inserted + updated + unchanged + rejected AS total FROM qa.load_batch WHERE batch_id = \(report.batchID)").single()
        #expect(try stored.decode("rows_read", as: Int.self) == 3003)
        #expect(try stored.decode("total", as: Int.self) == 3003)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == 2999)
    }
}

enum SHA256Hex {
    static func of(_ text: String) -> String {
        var hash = SHA256()
        hash.update(Array(text.utf8))
        return hash.finishHex()
    }
}
