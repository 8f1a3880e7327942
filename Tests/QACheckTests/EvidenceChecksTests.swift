import Foundation
import Postgres
import QACheck
import Testing
import TestSupport

@Suite struct FeedbackBeforeActivityTests {
    @Test func feedbackOnOrAfterTheActivityPasses() throws {
        let fixture = try CheckFixture()
        try fixture.evidence("EV1", date: "2024-03-14", verbal: "2024-03-14", written: "2024-03-20")
        try fixture.evidence("EV2", date: "2024-03-14")
        let result = try fixture.run(.feedbackBeforeActivity)
        #expect(result.failingRows == 0)
        #expect(result.level == .error)
    }

    @Test func theSchemaRefusesEarlyFeedbackAndTheCheckFindsItWhenTheConstraintIsGone() throws {
        let fixture = try CheckFixture()
        #expect(throws: PostgresError.self) {
            try fixture.evidence("EV0", date: "2024-03-14", verbal: "2024-03-13")
        }
        let constraints = try fixture.connection.query("""
            SELECT conname FROM pg_constraint
             WHERE conrelid = 'qa.evidence'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%feedback_date%'
            """).rows.map { try $0.decode("conname", as: String.self) }
        #expect(constraints.count == 2)
        for name in constraints {
            try fixture.connection.execute(SQL(verbatim: "ALTER TABLE qa.evidence DROP CONSTRAINT \(quotedIdentifier(name))"))
        }
        try fixture.evidence("EV1", date: "2024-03-14", verbal: "2024-03-13")
        try fixture.evidence("EV2", date: "2024-03-14", verbal: "2024-03-15", written: "2024-03-01", withdrawn: true)
        try fixture.evidence("EV3", date: "2024-03-14", verbal: "2024-03-14", written: "2024-03-14")
        let result = try fixture.run(.feedbackBeforeActivity)
        #expect(result.failingRows == 2)
        #expect(CheckFixture.column("evidence_id", of: result) == ["EV1", "EV2"])
        #expect(CheckFixture.column("written_feedback_date", of: result) == [nil, "2024-03-01"])
    }
}

@Suite struct StaffAtTwoSchoolsTests {
    @Test func oneSchoolADayPasses() throws {
        let fixture = try CheckFixture()
        try fixture.evidence("EV1", school: "Oakfield Academy", staff: "T1", date: "2024-03-14")
        try fixture.evidence("EV2", school: "Oakfield Academy", staff: "T1", date: "2024-03-14")
        try fixture.evidence("EV3", school: "Riverside High", staff: "T1", date: "2024-03-15")
        try fixture.evidence("EV4", school: "Riverside High", staff: nil, date: "2024-03-14")
        // A withdrawn record no longer places anyone anywhere.
        try fixture.evidence("EV5", school: "Riverside High", staff: "T1", date: "2024-03-14", withdrawn: true)
        #expect(try fixture.run(.staffAtTwoSchoolsOnOneDay).failingRows == 0)
    }

    @Test func twoSchoolsOnOneDayWarnsOncePerStaffAndDay() throws {
        let fixture = try CheckFixture()
        try fixture.evidence("EV1", school: "Oakfield Academy", staff: "T1", date: "2024-03-14")
        try fixture.evidence("EV2", school: "Riverside High", staff: "T1", date: "2024-03-14")
        try fixture.evidence("EV3", school: "Riverside High", staff: "T1", date: "2024-03-14")
        try fixture.evidence("EV4", school: "Oakfield Academy", staff: "T2", date: "2024-03-15")
        try fixture.evidence("EV5", school: "Hillside Primary", staff: "T2", date: "2024-03-15")
        try fixture.evidence("EV6", school: "Hillside Primary", staff: "T3", date: "2024-03-15")
        let result = try fixture.run(.staffAtTwoSchoolsOnOneDay)
        #expect(result.level == .warn)
        #expect(result.failingRows == 2)
        #expect(CheckFixture.column("staff_key", of: result) == ["t1", "t2"])
        #expect(CheckFixture.column("schools", of: result) == ["Oakfield Academy, Riverside High", "Hillside Primary, Oakfield Academy"])
        #expect(CheckFixture.column("records", of: result) == ["3", "2"])
    }
}

@Suite struct TooManyStandardsRatedTests {
    @Test func fourStandardsOnALessonVisitAndManyElsewherePass() throws {
        let fixture = try CheckFixture()
        try fixture.evidence("EV1", activity: "lesson_visit", ratings: [1: "green", 2: "gold", 3: "amber", 4: "red"])
        try fixture.evidence("EV2", activity: "work_scrutiny", ratings: Dictionary(uniqueKeysWithValues: (5...10).map { ($0, "green") }))
        try fixture.evidence("EV3", activity: "lesson_visit", ratings: Dictionary(uniqueKeysWithValues: (1...6).map { ($0, "green") }), withdrawn: true)
        #expect(try fixture.run(.tooManyStandardsRated).failingRows == 0)
    }

    @Test func aLessonVisitRatingFiveOrMoreWarns() throws {
        let fixture = try CheckFixture()
        try fixture.evidence("EV1", activity: "lesson_visit", ratings: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, "green") }))
        try fixture.evidence("EV2", activity: "lesson_visit", ratings: Dictionary(uniqueKeysWithValues: (1...12).map { ($0, "amber") }))
        try fixture.evidence("EV3", activity: "lesson_visit", ratings: [1: "green"])
        let result = try fixture.run(.tooManyStandardsRated)
        #expect(result.level == .warn)
        #expect(result.failingRows == 2)
        #expect(CheckFixture.column("evidence_id", of: result) == ["EV1", "EV2"])
        #expect(CheckFixture.column("standards_rated", of: result) == ["5", "12"])
        #expect(CheckFixture.column("policy_maximum", of: result) == ["4", "4"])
    }
}

@Suite struct UnratedEvidenceTests {
    @Test func ratedEvidenceAndUnratedInformalFeedbackPass() throws {
        let fixture = try CheckFixture()
        try fixture.evidence("EV1", activity: "lesson_visit")
        try fixture.evidence("EV2", activity: "informal_feedback", ratings: [:])
        try fixture.evidence("EV3", activity: "deep_dive", ratings: [:], withdrawn: true)
        #expect(try fixture.run(.unratedEvidence).failingRows == 0)
    }

    @Test func anyOtherActivityWithoutRatingsWarns() throws {
        let fixture = try CheckFixture()
        try fixture.evidence("EV1", activity: "lesson_visit", date: "2024-03-01", ratings: [:])
        try fixture.evidence("EV2", staff: nil, activity: "peer_review", date: "2024-03-02", ratings: [:])
        try fixture.evidence("EV3", activity: "work_scrutiny", date: "2024-03-03", ratings: [5: "gold"])
        try fixture.evidence("EV4", activity: "informal_feedback", date: "2024-03-04", ratings: [:])
        let result = try fixture.run(.unratedEvidence)
        #expect(result.level == .warn)
        #expect(result.failingRows == 2)
        #expect(CheckFixture.column("evidence_id", of: result) == ["EV1", "EV2"])
        #expect(CheckFixture.column("activity", of: result) == ["lesson_visit", "peer_review"])
    }
}

@Suite struct OrphanIDsTests {
    @Test func loadedDataHasNoOrphansAndBrokenIdsAreFound() throws {
        let fixture = try CheckFixture()
        try fixture.evidence("EV1", date: "2024-03-14")
        #expect(try fixture.run(.orphanIDs).failingRows == 0)
        try fixture.connection.execute("UPDATE qa.evidence SET staff_id = 999999 WHERE evidence_id = 'EV1'")
        try fixture.connection.execute("INSERT INTO qa.rating (evidence_pk, standard, rating) VALUES (888888, 3, 'red')")
        let result = try fixture.run(.orphanIDs)
        #expect(result.failingRows == 2)
        #expect(result.level == .error)
        #expect(CheckFixture.column("refers_to", of: result) == ["staff_id 999999", "evidence_pk 888888"])
    }
}
