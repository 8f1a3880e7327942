import Foundation
import QACore
import Testing
@testable import QASample

@Suite struct JSONLinesTests {
    @Test func everyLineParsesAndMatchesItsRecord() throws {
        let p = SampleParameters(schools: 6, records: 3_000, seed: 21)
        let records = SampleFiles.records(p)
        let (data, summary) = try SampleFiles.write(p, ext: "jsonl")
        #expect(summary.records == 3_000)
        #expect(data.last == 0x0A)
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == records.count)
        for (line, record) in zip(lines, records) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            try Self.check(object, matches: record)
        }
    }

    @Test func lineEscapesControlCharactersQuotesAndBackslashes() throws {
        let date = try #require(CalendarDate(year: 2023, month: 1, day: 9))
        let record = EvidenceRecord(
            evidenceID: "EV1", school: "A \"quoted\" school", activity: .peerReview, subject: nil, date: date,
            ratings: [.behaviour: .green, .readingAndMaths: .amber],
            strengths: "tab\there\r\nnew line \\ back\u{1}slash é 📚")
        let line = EvidenceJSONLines.line(for: record)
        #expect(line.contains(#""school":"A \"quoted\" school""#))
        #expect(line.contains(#""strengths":"tab\there\r\nnew line \\ back\u0001slash é 📚""#))
        #expect(line.contains(#""ratings":{"1":"G","12":"A"}"#))
        #expect(line.contains(#""subject":null"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        try Self.check(object, matches: record)
    }

    static func check(_ object: [String: Any], matches r: EvidenceRecord) throws {
        func text(_ key: String) -> String? { object[key] as? String }
        #expect(object.count == 19)
        #expect(text("evidence_id") == r.evidenceID)
        #expect(text("school") == r.school)
        #expect(text("school_urn") == r.schoolURN)
        #expect(text("staff_id") == r.staffID)
        #expect(text("staff_name") == r.staffName)
        #expect(text("staff_role") == r.staffRole)
        #expect(text("observer") == r.observer)
        #expect(text("activity") == r.activity.code)
        #expect(text("subject") == r.subject)
        #expect(text("date") == r.date.iso)
        #expect(text("verbal_feedback_date") == r.verbalFeedbackDate?.iso)
        #expect(text("written_feedback_date") == r.writtenFeedbackDate?.iso)
        #expect(object["year_groups"] as? [String] == r.yearGroups.map(\.description))
        #expect(object["cohorts"] as? [String] == r.cohorts.map(\.name))
        let ratings = try #require(object["ratings"] as? [String: String])
        var expected: [String: String] = [:]
        for (standard, rating) in r.ratings { expected[String(standard.number)] = rating.code }
        #expect(ratings == expected)
        #expect(text("strengths") == r.strengths)
        #expect(text("areas_for_development") == r.areasForDevelopment)
        #expect(text("next_steps") == r.nextSteps)
        #expect(text("deep_dive_id") == r.deepDiveID)
    }
}
