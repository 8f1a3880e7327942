import Foundation
import Postgres
import QACheck
import Testing
import TestSupport

@Suite struct LoadFreshnessTests {
    @Test func aRecentSuccessfulLoadPasses() throws {
        let fixture = try CheckFixture()
        try fixture.batch(hoursAgo: 40)
        try fixture.batch(status: "succeeded_with_rejects", hoursAgo: 2)
        let result = try fixture.run(.loadFreshness)
        #expect(result.failingRows == 0)
        #expect(result.passed)
        #expect(result.level == .error)
    }

    @Test func aSourceWhoseLastSuccessIsTooOldFailsWhateverFailedSince() throws {
        let fixture = try CheckFixture()
        try fixture.batch(source: "standards-tracker", hoursAgo: 2)
        try fixture.batch(source: "old-tracker", hoursAgo: 40)
        try fixture.batch(source: "old-tracker", status: "failed", hoursAgo: 1)
        let result = try fixture.run(.loadFreshness)
        #expect(result.failingRows == 1)
        #expect(CheckFixture.column("source", of: result) == ["old-tracker"])
        #expect(CheckFixture.column("age_hours", of: result) == ["40.0"])
        #expect(result.explanation == "a source's last successful load finished more than 36 hours ago, or it has never loaded successfully")
        // A longer allowance makes the same data pass.
        #expect(try fixture.run(.loadFreshness, CheckSettings(maxAgeHours: 48)).failingRows == 0)
    }

    @Test func aSourceThatNeverLoadedSuccessfullyFails() throws {
        let fixture = try CheckFixture()
        try fixture.batch(source: "standards-tracker", hoursAgo: 1)
        try fixture.batch(source: "new-tracker", status: "failed", hoursAgo: 1)
        try fixture.batch(source: "new-tracker", status: "aborted", hoursAgo: 0.5)
        // A dry run of a source does not make it a source that must load.
        try fixture.batch(source: "trial", status: "dry_run", hoursAgo: 0.5)
        let result = try fixture.run(.loadFreshness)
        #expect(result.failingRows == 1)
        #expect(CheckFixture.column("source", of: result) == ["new-tracker"])
        #expect(CheckFixture.column("last_success", of: result) == ["never"])
        #expect(CheckFixture.column("age_hours", of: result) == [nil])
    }

    @Test func aDatabaseThatWasNeverLoadedFails() throws {
        let fixture = try CheckFixture()
        let result = try fixture.run(.loadFreshness)
        #expect(result.failingRows == 1)
        #expect(CheckFixture.column("source", of: result) == ["(no load has ever run)"])
    }
}

@Suite struct RowCountDropTests {
    @Test func aDropWithinTheAllowancePasses() throws {
        let fixture = try CheckFixture()
        try fixture.batch(rowsRead: 100, hoursAgo: 30)
        try fixture.batch(status: "failed", rowsRead: 0, hoursAgo: 20)
        try fixture.batch(rowsRead: 80, hoursAgo: 2)
        let result = try fixture.run(.rowCountDrop)
        #expect(result.failingRows == 0)
    }

    @Test func aDropBeyondTheAllowanceWarnsOncePerSource() throws {
        let fixture = try CheckFixture()
        try fixture.batch(source: "a", rowsRead: 100, hoursAgo: 30)
        try fixture.batch(source: "a", rowsRead: 79, hoursAgo: 2)
        try fixture.batch(source: "b", rowsRead: 200, hoursAgo: 30)
        let latestB = try fixture.batch(source: "b", status: "succeeded_with_rejects", rowsRead: 50, hoursAgo: 2)
        // A failed load in between is not a "previous successful load".
        try fixture.batch(source: "b", status: "failed", rowsRead: 0, hoursAgo: 1)
        let result = try fixture.run(.rowCountDrop)
        #expect(result.level == .warn)
        #expect(result.failingRows == 2)
        #expect(CheckFixture.column("source", of: result) == ["a", "b"])
        #expect(CheckFixture.column("drop_percent", of: result) == ["21.0", "75.0"])
        #expect(CheckFixture.column("batch_id", of: result).last == "\(latestB)")
        #expect(try fixture.run(.rowCountDrop, CheckSettings(maxDropPercent: 50)).failingRows == 1)
    }

    @Test func onlyTheLatestPairIsCompared() throws {
        let fixture = try CheckFixture()
        try fixture.batch(rowsRead: 100, hoursAgo: 50)
        try fixture.batch(rowsRead: 10, hoursAgo: 30)
        try fixture.batch(rowsRead: 12, hoursAgo: 2)
        #expect(try fixture.run(.rowCountDrop).failingRows == 0)
    }
}

@Suite struct UnfinishedLoadsTests {
    @Test func failuresBeforeTheLastSuccessPass() throws {
        let fixture = try CheckFixture()
        try fixture.batch(status: "failed", hoursAgo: 5)
        try fixture.batch(status: "interrupted", hoursAgo: 4)
        try fixture.batch(hoursAgo: 3)
        try fixture.batch(status: "dry_run", hoursAgo: 1)
        #expect(try fixture.run(.unfinishedLoads).failingRows == 0)
    }

    @Test func failedAbortedAndInterruptedLoadsSinceTheLastSuccessWarn() throws {
        let fixture = try CheckFixture()
        try fixture.batch(source: "a", status: "failed", hoursAgo: 9)
        try fixture.batch(source: "a", hoursAgo: 8)
        let failed = try fixture.batch(source: "a", status: "failed", hoursAgo: 3)
        let interrupted = try fixture.batch(source: "a", status: "interrupted", hoursAgo: 2)
        let aborted = try fixture.batch(source: "a", status: "aborted", hoursAgo: 1)
        // A source that has never succeeded: every failure counts.
        let never = try fixture.batch(source: "b", status: "failed", hoursAgo: 1)
        // Another source's later success does not excuse source a.
        try fixture.batch(source: "c", hoursAgo: 0.5)
        let result = try fixture.run(.unfinishedLoads)
        #expect(result.level == .warn)
        #expect(result.failingRows == 4)
        #expect(CheckFixture.column("batch_id", of: result) == [failed, interrupted, aborted, never].map { "\($0)" })
        #expect(CheckFixture.column("status", of: result) == ["failed", "interrupted", "aborted", "failed"])
    }
}
