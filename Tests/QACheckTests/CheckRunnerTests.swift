import Foundation
import Postgres
import QACheck
import Testing
import TestSupport

@Suite struct CheckRunnerTests {
    @Test func countsEveryFailingRowButShowsOnlyTheExampleLimit() throws {
        let fixture = try CheckFixture()
        for n in 1...12 { try fixture.evidence("EV\(n)", date: "2024-03-\(n < 10 ? "0" : "")\(n)", ratings: [:]) }
        let result = try fixture.run(.unratedEvidence)
        #expect(result.failingRows == 12)
        #expect(result.examples.count == 10)
        #expect(CheckFixture.column("evidence_id", of: result).first == "EV1")
        #expect(result.columns == ["source", "evidence_id", "activity", "activity_date", "school"])
        #expect(try fixture.run(.unratedEvidence, examples: 3).examples.count == 3)
    }

    @Test func theReportsExitCodeFollowsTheWorstFailedLevel() throws {
        func result(_ level: CheckLevel, failing: Int) -> CheckResult {
            CheckResult(name: "x", level: level, explanation: "", failingRows: failing, columns: [], examples: [])
        }
        #expect(CheckReport(results: [result(.error, failing: 0), result(.warn, failing: 0)]).exitCode == 0)
        #expect(CheckReport(results: [result(.error, failing: 0), result(.warn, failing: 3)]).exitCode == 2)
        #expect(CheckReport(results: [result(.error, failing: 1), result(.warn, failing: 3)]).exitCode == 1)
        #expect(CheckReport(results: []).exitCode == 0)
    }

    @Test func aCleanDatabaseWithARecentLoadPassesEveryCheck() throws {
        let fixture = try CheckFixture()
        try fixture.batch(rowsRead: 3, hoursAgo: 1)
        try fixture.evidence("EV1", ratings: [1: "green", 2: "gold", 3: "amber"], withdrawn: false)
        try fixture.evidence("EV2", activity: "informal_feedback", ratings: [:])
        let report = try CheckRunner(connection: fixture.connection).run()
        #expect(report.results.map(\.name) == [
            "load_freshness", "row_count_drop", "unfinished_loads", "feedback_before_activity", "orphan_ids",
            "staff_at_two_schools_on_one_day", "too_many_standards_rated", "unrated_evidence",
        ])
        #expect(report.results.filter { !$0.passed }.map(\.name) == [])
        #expect(report.exitCode == 0)
        #expect(CheckTextReport.render(report).hasSuffix("all 8 checks passed"))
    }

    @Test func theTextReportShowsFailuresWithTheirExamples() throws {
        let report = CheckReport(results: [
            CheckResult(name: "load_freshness", level: .error, explanation: "too old", failingRows: 0, columns: [], examples: []),
            CheckResult(
                name: "unrated_evidence", level: .warn, explanation: "no ratings", failingRows: 3,
                columns: ["evidence_id", "school"], examples: [["EV1", "Oak"], ["EV2", nil]]),
        ])
        #expect(CheckTextReport.render(report) == """
            ok    error  load_freshness: 0 failing rows
            FAIL  warn   unrated_evidence: 3 failing rows
                  no ratings
                  evidence_id=EV1  school=Oak
                  evidence_id=EV2  school=NULL
                  ... and 1 more
            1 of 2 checks failed: 0 error, 1 warn
            """)
    }

    @Test func theJSONReportCarriesEveryFieldAndNullForNULL() throws {
        let report = CheckReport(results: [
            CheckResult(
                name: "unrated_evidence", level: .warn, explanation: "no ratings", failingRows: 1,
                columns: ["evidence_id", "school"], examples: [["EV/1", nil]]),
        ])
        let json = try CheckJSONReport.render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["exit_code"] as? Int == 2)
        #expect(object["errors_failed"] as? Int == 0)
        #expect(object["warnings_failed"] as? Int == 1)
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.count == 1)
        #expect(checks[0]["name"] as? String == "unrated_evidence")
        #expect(checks[0]["level"] as? String == "warn")
        #expect(checks[0]["passed"] as? Bool == false)
        #expect(checks[0]["failing_rows"] as? Int == 1)
        let examples = try #require(checks[0]["examples"] as? [[String: Any]])
        #expect(examples[0]["evidence_id"] as? String == "EV/1")
        #expect(examples[0]["school"] is NSNull)
        #expect(json.contains("\"EV/1\""))
    }
}
