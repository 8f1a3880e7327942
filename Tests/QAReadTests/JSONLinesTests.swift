import Foundation
import QACore
import Testing
@testable import QARead

@Suite struct JSONLinesTests {
    @Test func happyPathRatingsObjectAndArrays() throws {
        let text = """
        {"evidence_id": 101, "school": "Oak", "school_urn": 123456, "activity": "Lesson visit", "subject": "Maths", "date": "14/03/2023", "ratings": {"1": "G", "5": "Amber", "S7": "g*", "12": null}, "year_groups": ["Y7", 9], "cohorts": ["SEND", "pp"], "strengths": "Line one\\nline two, \\"quoted\\""}

        {"evidence_id": "E2", "school": "Elm", "activity": "peer_review", "date": "2023-03-15", "year_groups": "7; 9", "cohorts": "Boys;Girls", "deep_dive_id": null}\r

        """
        let (reader, outcomes) = try Fixture.readAll(Fixture.write(text, name: "evidence.jsonl"))
        #expect(reader.originalHeader == ["record"])
        #expect(reader.format == .jsonLines)
        #expect(outcomes.map(\.line) == [1, 3])
        let first = try #require(outcomes[0].record)
        #expect(first == EvidenceRecord(
            evidenceID: "101", school: "Oak", schoolURN: "123456", activity: .lessonVisit, subject: "Maths",
            date: CalendarDate(year: 2023, month: 3, day: 14)!,
            yearGroups: [YearGroup(number: 7)!, YearGroup(number: 9)!],
            cohorts: [Cohort(parsing: "SEND")!, Cohort(parsing: "Disadvantaged")!],
            ratings: [.behaviour: .green, .ambitiousCurriculum: .amber, .curriculumDelivery: .gold],
            strengths: "Line one\nline two, \"quoted\""
        ))
        let second = try #require(outcomes[1].record)
        #expect(second.activity == .peerReview)
        #expect(second.yearGroups.map(\.number) == [7, 9])
        #expect(second.cohorts.map(\.name) == ["Boys", "Girls"])
        #expect(reader.headerWarnings.isEmpty)
    }

    @Test func badLinesAreRejectedAndReadingContinues() throws {
        let lines = [
            #"{"evidence_id": "E1", "school": "Oak", "activity": "deep dive", "subject": "Art", "date": "2024-01-01", "#,
            #"[1, 2]"#,
            #"{"evidence_id": "E3", "school": "Oak", "activity": "deep dive", "subject": "Art", "date": "2024-01-01", "ratings": {"5": "Greem"}}"#,
            #"{"evidence_id": "E4", "school": "Oak", "activity": "deep dive", "subject": "Art", "date": "2024-01-01", "ratings": {"13": "G"}}"#,
            #"{"evidence_id": "E5", "school": "Oak", "activity": "deep dive", "subject": "Art", "date": "2024-01-01", "notes": "x", "mood": 1}"#,
            #"{"evidence_id": "E6", "school": "Oak", "activity": "deep dive", "subject": "Art", "date": "2024-01-01", "notes": "y"}"#,
            #"{"evidence_id": true, "school": "Oak", "activity": "deep dive", "subject": "Art", "date": "2024-01-01"}"#,
        ]
        let (reader, outcomes) = try Fixture.readAll(Fixture.write(lines.joined(separator: "\n"), name: "e.ndjson"))
        #expect(outcomes.count == 7)
        #expect(outcomes[0].reject?.reason.hasPrefix("the line is not valid JSON") == true)
        #expect(outcomes[0].reject?.original == [lines[0]])
        #expect(outcomes[0].reject?.line == 1)
        #expect(outcomes[1].reject?.reason == "the line is a list, not a JSON object")
        #expect(outcomes[2].reject?.column == "S5")
        #expect(outcomes[2].reject?.reason == "S5: \"Greem\" is not a RAGG* rating; expected Gold/G*, Green/G, Amber/A or Red/R")
        #expect(outcomes[3].reject?.reason == "ratings: \"13\" is not a standard; expected 1 to 12")
        #expect(outcomes[4].record?.evidenceID == "E5")
        #expect(outcomes[5].record?.evidenceID == "E6")
        #expect(outcomes[6].reject?.reason == "evidence_id should be a single value, not true or false")
        #expect(reader.headerWarnings == [
            ReadWarning(file: "e.ndjson", line: 5, column: "mood", message: "unknown key \"mood\" is ignored"),
            ReadWarning(file: "e.ndjson", line: 5, column: "notes", message: "unknown key \"notes\" is ignored"),
        ])
    }

    @Test func emptyJSONLinesFile() {
        #expect(Fixture.problem(Fixture.write("", name: "x.jsonl")) == FileProblem(file: "x.jsonl", reason: "the file is empty"))
    }

    @Test func formatOverride() throws {
        let path = Fixture.write(#"{"evidence_id": "E1", "school": "Oak", "activity": "peer review", "date": "2024-01-01"}"#, name: "data.txt")
        #expect(Fixture.problem(path)?.reason.hasPrefix("cannot tell the format") == true)
        let (_, outcomes) = try Fixture.readAll(path, options: Fixture.options { $0.format = .jsonLines })
        #expect(outcomes.first?.record?.evidenceID == "E1")
    }
}
