import Foundation
import QACore
import Testing
@testable import QASample

@Suite struct CSVFormatTests {
    static let header = "evidence_id,school,school_urn,staff_id,staff_name,staff_role,observer,activity,subject,date,"
        + "verbal_feedback_date,written_feedback_date,year_groups,cohorts,S1,S2,S3,S4,S5,S6,S7,S8,S9,S10,S11,S12,"
        + "strengths,areas_for_development,next_steps,deep_dive_id"

    @Test func headerIsExact() {
        #expect(EvidenceCSV.header == Self.header)
        #expect(EvidenceCSV.columns.count == 30)
    }

    @Test func fileHasHeaderAndExactRecordCountWithLFAndNoBOM() throws {
        let p = SampleParameters(schools: 5, records: 2_000, seed: 11)
        let (data, summary) = try SampleFiles.write(p, ext: "csv")
        #expect(summary.records == 2_000)
        #expect(summary.schools == 5)
        #expect(Array(data.prefix(3)) != [0xEF, 0xBB, 0xBF])
        #expect(data.last == 0x0A)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix(Self.header + "\n"))
        let rows = try RFC4180Splitter.rows(text)
        #expect(rows.count == 2_001)
        #expect(rows.allSatisfy { $0.count == 30 })
        #expect(rows.dropFirst().map { $0[0] } == (1...2_000).map { "EV" + String(format: "%07d", $0) })
    }

    @Test func rowQuotesOnlyWhatNeedsQuoting() throws {
        let date = try #require(CalendarDate(year: 2024, month: 3, day: 14))
        let record = EvidenceRecord(
            evidenceID: "EV1", school: "St Mary's CE Primary", schoolURN: "123456", staffID: "T0001",
            staffName: "Zoë O'Brien", staffRole: "Class teacher", observer: "A, B",
            activity: .workScrutiny, subject: "Maths", date: date, verbalFeedbackDate: date,
            yearGroups: [YearGroup(number: 3), YearGroup(number: 4)].compactMap { $0 },
            cohorts: Cohort.list(from: "SEND;Boys"),
            ratings: [.ambitiousCurriculum: .gold, .assessment: .red],
            strengths: "She said \"wow\"", areasForDevelopment: "line one\nline two", nextSteps: "=SUM(A1) 👍")
        #expect(EvidenceCSV.row(for: record) ==
            "EV1,St Mary's CE Primary,123456,T0001,Zoë O'Brien,Class teacher,\"A, B\",work_scrutiny,Maths,2024-03-14,"
            + "2024-03-14,,Y3;Y4,SEND;Boys,,,,,G*,,,,R,,,,\"She said \"\"wow\"\"\",\"line one\nline two\",=SUM(A1) 👍,")
    }

    /// Every field read back through an independent splitter equals what the record holds,
    /// including the awkward text (quotes, commas, CR LF, accents, emoji, formula-like openings).
    @Test func roundTripPreservesEveryFieldExactly() throws {
        let p = SampleParameters(schools: 6, records: 5_000, seed: 4)
        let records = SampleFiles.records(p)
        let text = EvidenceCSV.file(for: records)
        let rows = Array(try RFC4180Splitter.rows(text).dropFirst())
        #expect(rows.count == records.count)
        for (row, record) in zip(rows, records) {
            #expect(row == Self.expectedFields(record))
        }
        let texts = records.flatMap { [$0.strengths, $0.areasForDevelopment, $0.nextSteps].compactMap { $0 } }
        #expect(texts.contains { $0.contains("\"") && $0.contains(",") })
        #expect(texts.contains { $0.unicodeScalars.contains("\n") })
        #expect(texts.contains { $0.contains("\r\n") })
        #expect(texts.contains { $0.contains("👍") })
        #expect(texts.contains { $0.contains("é") && $0.contains("’") })
        for lead in ["=", "+", "-", "@"] {
            #expect(texts.contains { $0.hasPrefix(lead) }, "no text starts with \(lead)")
        }
    }

    @Test func writtenFileMatchesEvidenceCSVFile() throws {
        let p = SampleParameters(schools: 3, records: 300, seed: 8)
        let (data, _) = try SampleFiles.write(p, ext: "csv")
        #expect(String(decoding: data, as: UTF8.self) == EvidenceCSV.file(for: SampleFiles.records(p)))
    }

    @Test func variedSpellingsAllParseToTheSameRatings() throws {
        let codes = try SampleFiles.write(SampleParameters(schools: 4, records: 3_000, seed: 6), ext: "csv")
        let varied = try SampleFiles.write(SampleParameters(schools: 4, records: 3_000, seed: 6, variedSpellings: true), ext: "csv")
        let a = try RFC4180Splitter.rows(String(decoding: codes.data, as: UTF8.self))
        let b = try RFC4180Splitter.rows(String(decoding: varied.data, as: UTF8.self))
        #expect(a.count == b.count)
        var spellings = Set<String>()
        for (x, y) in zip(a.dropFirst(), b.dropFirst()) {
            for column in 14..<26 {
                spellings.insert(y[column])
                #expect(Rating(parsing: x[column]) == Rating(parsing: y[column]))
                #expect(x[column].isEmpty == y[column].isEmpty)
            }
        }
        #expect(spellings.isSuperset(of: ["G*", "Gold", "green", "a", "Red"]))
    }

    static func expectedFields(_ r: EvidenceRecord) -> [String] {
        [r.evidenceID, r.school, r.schoolURN ?? "", r.staffID ?? "", r.staffName ?? "", r.staffRole ?? "",
         r.observer ?? "", r.activity.code, r.subject ?? "", r.date.iso, r.verbalFeedbackDate?.iso ?? "",
         r.writtenFeedbackDate?.iso ?? "", r.yearGroups.map(\.description).joined(separator: ";"),
         r.cohorts.map(\.name).joined(separator: ";")]
            + Standard.allCases.map { r.ratings[$0]?.code ?? "" }
            + [r.strengths ?? "", r.areasForDevelopment ?? "", r.nextSteps ?? "", r.deepDiveID ?? ""]
    }
}
