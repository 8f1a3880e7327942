import Foundation
import Postgres
import QACheck
import Testing
import TestSupport

/// `qa-analytics check` through the built binary: what it prints and how it exits.
@Suite struct CheckCommandTests {
    @Test func aDatabaseNeverLoadedFailsWithExitCode1() throws {
        let fixture = try CheckFixture()
        let run = try runTool(["check", "--database", fixture.database.conninfo])
        #expect(run.status == 1)
        #expect(run.stdout.contains("FAIL  error  load_freshness: 1 failing row\n"))
        #expect(run.stdout.contains("source=(no load has ever run)  last_success=never  age_hours=NULL"))
        #expect(run.stdout.hasSuffix("1 of 8 checks failed: 1 error, 0 warn\n"))
    }

    @Test func onlyWarningsExitWith2() throws {
        let fixture = try CheckFixture()
        try fixture.batch(hoursAgo: 1)
        try fixture.evidence("EV1", ratings: [:])
        let run = try runTool(["check", "--database", fixture.database.conninfo])
        #expect(run.status == 2)
        #expect(run.stdout.contains("FAIL  warn   unrated_evidence: 1 failing row\n"))
        #expect(run.stdout.contains("ok    error  load_freshness: 0 failing rows\n"))
    }

    @Test func aCleanDatabaseExitsWith0AndTheThresholdsAreOptions() throws {
        let fixture = try CheckFixture()
        try fixture.batch(rowsRead: 100, hoursAgo: 40)
        try fixture.batch(rowsRead: 70, hoursAgo: 39)
        try fixture.evidence("EV1")
        let strict = try runTool(["check", "--database", fixture.database.conninfo])
        #expect(strict.status == 1)
        let relaxed = try runTool(["check", "--max-age-hours", "48", "--max-drop", "30", "--database", fixture.database.conninfo])
        #expect(relaxed.status == 0)
        #expect(relaxed.stdout.hasSuffix("all 8 checks passed\n"))
    }

    @Test func jsonOutputParsesAndCarriesTheExitCode() throws {
        let fixture = try CheckFixture()
        try fixture.batch(hoursAgo: 1)
        try fixture.evidence("EV1", ratings: Dictionary(uniqueKeysWithValues: (1...6).map { ($0, "green") }))
        let run = try runTool(["check", "--format", "json", "--database", fixture.database.conninfo])
        #expect(run.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["exit_code"] as? Int == 2)
        let checks = try #require(object["checks"] as? [[String: Any]])
        let failing = checks.filter { $0["passed"] as? Bool == false }.compactMap { $0["name"] as? String }
        #expect(failing == ["too_many_standards_rated"])
    }

    @Test func badThresholdsAreUsageErrors() throws {
        let run = try runTool(["check", "--max-drop", "150", "--database", "dbname=unused"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--max-drop must be a percentage from 0 to 100"))
        #expect(try runTool(["check", "--format", "xml", "--database", "dbname=unused"]).status == 64)
    }

    @Test func theHelpTextDocumentsTheExitCodes() throws {
        let run = try runTool(["help", "check"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("""
            Exit codes: 0 every check passed; 2 only warn-level checks failed;
            1 an error-level check failed, or the checks could not be run;
            64 usage error.
            """))
    }
}
