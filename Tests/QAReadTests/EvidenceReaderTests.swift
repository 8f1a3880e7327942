import Foundation
import QACore
import Testing
@testable import QARead

@Suite struct EvidenceReaderTests {
    static let fullHeader = EvidenceColumns.canonicalHeader.joined(separator: ",")

    @Test func canonicalHeader() {
        #expect(EvidenceColumns.canonicalHeader == [
            "evidence_id", "school", "school_urn", "staff_id", "staff_name", "staff_role", "observer",
            "activity", "subject", "date", "verbal_feedback_date", "written_feedback_date", "year_groups", "cohorts",
            "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S11", "S12",
            "strengths", "areas_for_development", "next_steps", "deep_dive_id",
        ])
    }

    @Test func formatsByExtensionAndName() {
        #expect(InputFormat(fileExtension: "CSV") == .csv)
        #expect(InputFormat(fileExtension: ".ndjson") == .jsonLines)
        #expect(InputFormat(fileExtension: "jsonl") == .jsonLines)
        #expect(InputFormat(fileExtension: "txt") == nil)
        #expect(InputFormat(name: "jsonl") == .jsonLines)
        #expect(InputFormat(name: "csv") == .csv)
        #expect(InputFormat(name: "xml") == nil)
        #expect(TextEncoding(name: "windows-1252") == .windows1252)
    }

    @Test func fullRecordWithBOMCRLFAndMultiLineText() throws {
        let row1 = "EV1, Oak Academy ,123456,ST9,Ann Lee,Teacher,Mr Head,Lesson Visit,Maths,14/03/2023,2023-03-15,20/03/2023,"
            + "\"Y7;Y9\",\"send, PP; Boys\",G,,A,,Green,,,,,,,,\"Good \"\"hinge\"\" questions,\r\nclear modelling\",  ,"
            + "=cmd|' /C calc'!A0,DD7"
        let row2 = "EV2,Elm School,,,,,,peer review,,2023-03-16,,,,,,,,,,,,,,,,,,,,"
        let text = "\u{FEFF}" + EvidenceReaderTests.fullHeader + "\r\n" + row1 + "\r\n" + row2 + "\r\n"
        let (reader, outcomes) = try Fixture.readAll(Fixture.write(text))
        #expect(reader.headerWarnings.isEmpty)
        #expect(reader.originalHeader == EvidenceColumns.canonicalHeader)
        #expect(outcomes.map(\.line) == [2, 4])
        let expected = EvidenceRecord(
            evidenceID: "EV1", school: "Oak Academy", schoolURN: "123456",
            staffID: "ST9", staffName: "Ann Lee", staffRole: "Teacher", observer: "Mr Head",
            activity: .lessonVisit, subject: "Maths", date: CalendarDate(year: 2023, month: 3, day: 14)!,
            verbalFeedbackDate: CalendarDate(year: 2023, month: 3, day: 15)!,
            writtenFeedbackDate: CalendarDate(year: 2023, month: 3, day: 20)!,
            yearGroups: [YearGroup(number: 7)!, YearGroup(number: 9)!],
            cohorts: [Cohort(parsing: "SEND")!, Cohort(parsing: "Disadvantaged")!, Cohort(parsing: "Boys")!],
            ratings: [.behaviour: .green, .safeguarding: .amber, .ambitiousCurriculum: .green],
            strengths: "Good \"hinge\" questions,\r\nclear modelling", areasForDevelopment: nil,
            nextSteps: "=cmd|' /C calc'!A0", deepDiveID: "DD7"
        )
        #expect(outcomes[0].record == expected)
        #expect(outcomes[0].warnings.isEmpty)
        #expect(outcomes[1].record?.activity == .peerReview)
        #expect(outcomes[1].record?.subject == nil)
        #expect(outcomes[1].record?.schoolURN == nil)
        #expect(outcomes[1].record?.ratings == [:])
        #expect(reader.physicalLine == 5)
        #expect(reader.bytesRead == text.utf8.count)
    }

    @Test func headerNamesAreNormalised() throws {
        let header = "Evidence ID,SCHOOL,Activity-Type,EvidenceId2,ActivITY ,Subject,Date,Standard 5,s_1,Year-Groups"
        let path = Fixture.write(header + "\nE1,Oak,x,y,work scrutiny,English,2024-01-31,amber,gold,R\n")
        let (reader, outcomes) = try Fixture.readAll(path)
        let record = try #require(outcomes.first?.record)
        #expect(record.evidenceID == "E1")
        #expect(record.activity == .workScrutiny)
        #expect(record.ratings == [.ambitiousCurriculum: .amber, .behaviour: .gold])
        #expect(record.yearGroups == [YearGroup(number: 0)!])
        #expect(reader.headerWarnings == [
            ReadWarning(file: "evidence.csv", line: 1, column: "Activity-Type", message: "unknown column \"Activity-Type\" is ignored"),
            ReadWarning(file: "evidence.csv", line: 1, column: "EvidenceId2", message: "unknown column \"EvidenceId2\" is ignored"),
        ])
    }

    @Test func unknownColumnsWarnOncePerFileNotPerRow() throws {
        let path = Fixture.write("evidence_id,school,activity,subject,date,notes\nE1,Oak,deep dive,Art,2024-02-01,a\nE2,Oak,deep dive,Art,2024-02-01,b\n")
        let (reader, outcomes) = try Fixture.readAll(path)
        #expect(outcomes.count == 2)
        #expect(outcomes.allSatisfy { $0.record != nil && $0.warnings.isEmpty })
        #expect(reader.headerWarnings.map(\.message) == ["unknown column \"notes\" is ignored"])
    }

    @Test func ukAndISODates() throws {
        let dates = ["2023-03-14": (2023, 3, 14), "14/03/2023": (2023, 3, 14), "4/3/2023": (2023, 3, 4),
                     "2024-02-29": (2024, 2, 29), "2023-03-14T09:30:00": (2023, 3, 14), " 01/09/2000 ": (2000, 9, 1)]
        for (text, (y, m, d)) in dates {
            let record = try Fixture.record("E1,Oak,lesson visit,Maths,\(text)")
            #expect(record?.date == CalendarDate(year: y, month: m, day: d), "\(text)")
        }
    }

    @Test func dateRejects() throws {
        let cases: [(String, String)] = [
            ("31/02/2023", "date: 31/02/2023 is not a real date"),
            ("2023-02-29", "date: 2023-02-29 is not a real date"),
            ("14/03/23", "date: 14/03/23 has a two-digit year; write the year in full, e.g. 14/03/2023"),
            ("March 14 2023", "date: \"March 14 2023\" is not a date; write it as 2023-03-14 or 14/03/2023"),
            ("14-03-2023", "date: \"14-03-2023\" is not a date; write it as 2023-03-14 or 14/03/2023"),
            ("2025-07-01", "date: 2025-07-01 is in the future (today is 2025-06-30)"),
            ("31/12/1999", "date: 31/12/1999 is before 1 January 2000; check the year"),
        ]
        for (text, reason) in cases {
            let reject = try Fixture.reject("E1,Oak,lesson visit,Maths,\(text)")
            #expect(reject?.reason == reason)
            #expect(reject?.column == "date")
            #expect(reject?.line == 2)
        }
        // Today itself is fine.
        #expect(try Fixture.record("E1,Oak,lesson visit,Maths,30/06/2025")?.date == Fixture.today)
    }

    @Test func everyRatingSpelling() throws {
        let spellings: [(String, Rating)] = [
            ("G*", .gold), ("Gold", .gold), ("gold", .gold), ("g*", .gold), ("G+", .gold), (" G * ", .gold),
            ("G", .green), ("Green", .green), ("green", .green), ("g", .green), ("GREEN", .green),
            ("A", .amber), ("Amber", .amber), ("amber", .amber), ("a", .amber),
            ("R", .red), ("Red", .red), ("red", .red), ("r", .red),
        ]
        for (text, rating) in spellings {
            let record = try Fixture.record(header: "evidence_id,school,activity,subject,date,S5", "E1,Oak,work scrutiny,Maths,2024-01-01,\(text)")
            #expect(record?.ratings == [.ambitiousCurriculum: rating], "\(text)")
        }
        let blank = try Fixture.record(header: "evidence_id,school,activity,subject,date,S5", "E1,Oak,work scrutiny,Maths,2024-01-01,  ")
        #expect(blank?.ratings == [:])
    }

    @Test func badRatingReasonIsExact() throws {
        let reject = try Fixture.reject(header: "evidence_id,school,activity,subject,date,S1,S5", "E1,Oak,work scrutiny,Maths,2024-01-01,G,Greem")
        #expect(reject == Reject(
            file: "evidence.csv", line: 2, column: "S5",
            reason: "S5: \"Greem\" is not a RAGG* rating; expected Gold/G*, Green/G, Amber/A or Red/R",
            original: ["E1", "Oak", "work scrutiny", "Maths", "2024-01-01", "G", "Greem"]
        ))
        let spelt = try Fixture.reject(header: "evidence_id,school,activity,subject,date,Standard 12", "E1,Oak,work scrutiny,Maths,2024-01-01,5")
        #expect(spelt?.column == "Standard 12")
        #expect(spelt?.reason == "Standard 12: \"5\" is not a RAGG* rating; expected Gold/G*, Green/G, Amber/A or Red/R")
    }

    @Test func requiredFieldsAndOtherRejects() throws {
        let header = "evidence_id,school,school_urn,activity,subject,date,verbal_feedback_date,written_feedback_date,year_groups,cohorts"
        let cases: [(String, String, String)] = [
            (" ,Oak,,lesson visit,Maths,2024-01-10,,,,", "evidence_id", "evidence_id is blank; every record needs one"),
            ("E1,,,lesson visit,Maths,2024-01-10,,,,", "school", "school is blank; every record needs one"),
            ("E1,Oak,12345,lesson visit,Maths,2024-01-10,,,,", "school_urn", "school_urn: \"12345\" is not a six-digit school number (URN)"),
            ("E1,Oak,,,Maths,2024-01-10,,,,", "activity", "activity is blank; every record needs one"),
            ("E1,Oak,,lesson obs,Maths,2024-01-10,,,,", "activity",
             "activity: \"lesson obs\" is not a known activity; expected one of lesson visit, work scrutiny, pupil discussion, "
                + "subject leader discussion, deep dive, curriculum plan review, peer review, informal feedback"),
            ("E1,Oak,,work scrutiny,,2024-01-10,,,,", "subject", "subject is blank; a work scrutiny must name a subject"),
            ("E1,Oak,,work scrutiny,Art,,,,,", "date", "date is blank; every record needs one"),
            ("E1,Oak,,work scrutiny,Art,14/03/2024,13/03/2024,,,", "verbal_feedback_date",
             "verbal_feedback_date: 13/03/2024 is before the date of the activity, 14/03/2024"),
            ("E1,Oak,,work scrutiny,Art,14/03/2024,,2024-03-01,,", "written_feedback_date",
             "written_feedback_date: 2024-03-01 is before the date of the activity, 14/03/2024"),
            ("E1,Oak,,work scrutiny,Art,14/03/2024,,31/04/2024,,", "written_feedback_date",
             "written_feedback_date: 31/04/2024 is not a real date"),
            ("E1,Oak,,work scrutiny,Art,14/03/2024,,,Y7;Y14,", "year_groups",
             "year_groups: \"Y14\" is not a year group; expected R (Reception) or Y1 to Y13"),
            ("E1,Oak,,work scrutiny,Art,14/03/2024,,,,SEND;123", "cohorts",
             "cohorts: \"123\" is not a pupil group; expected names such as SEND, Disadvantaged, Boys, Girls or EAL"),
        ]
        for (row, column, reason) in cases {
            let reject = try Fixture.reject(header: header, row)
            #expect(reject?.column == column, "\(row)")
            #expect(reject?.reason == reason, "\(row)")
            #expect(reject?.line == 2)
        }
    }

    @Test func firstProblemInColumnOrderWins() throws {
        // The file's own column order: date comes before activity here.
        let reject = try Fixture.reject(header: "evidence_id,school,date,activity,subject", "E1,Oak,31/02/2024,nonsense,")
        #expect(reject?.column == "date")
        #expect(reject?.reason == "date: 31/02/2024 is not a real date")
    }

    @Test func yearGroupsAndCohortsForms() throws {
        let header = "evidence_id,school,activity,subject,date,year_groups,cohorts"
        let record = try Fixture.record(header: header, "E1,Oak,pupil discussion,History,2024-05-01,\"7, 9, Year 11, R, y7\",\"Girls|EAL;Key cohort\"")
        #expect(record?.yearGroups.map(\.description) == ["Y7", "Y9", "Y11", "R"])
        #expect(record?.cohorts.map(\.name) == ["Girls", "EAL", "Key cohort"])
    }

    @Test func lessonVisitRatingMoreThanFourStandardsWarns() throws {
        let header = "evidence_id,school,activity,subject,date,S1,S2,S3,S4,S5,S6"
        let (_, outcomes) = try Fixture.readAll(Fixture.write(header + "\nE1,Oak,lesson visit,Maths,2024-01-01,G,G,A,R,G*,G\nE2,Oak,lesson visit,Maths,2024-01-01,G,G,A,R,,\nE3,Oak,work scrutiny,Maths,2024-01-01,G,G,A,R,G,G\n"))
        #expect(outcomes[0].warnings == [ReadWarning(file: "evidence.csv", line: 2, column: nil,
                                                     message: "lesson visit rates 6 standards; the policy expects 3 or 4")])
        #expect(outcomes[0].record?.ratings.count == 6)
        #expect(outcomes[1].warnings.isEmpty)
        #expect(outcomes[2].warnings.isEmpty)
    }

    @Test func missingRequiredHeaderColumns() {
        let problem = Fixture.problem(Fixture.write("evidence_id,subject,activity\nE1,Maths,deep dive\n"))
        #expect(problem == FileProblem(
            file: "evidence.csv", line: 1,
            reason: "the header has no school, date columns; every evidence file needs evidence_id, school, activity and date"
        ))
    }

    @Test func duplicateHeaderColumn() {
        let problem = Fixture.problem(Fixture.write("evidence_id,school,activity,date,S5,Standard 5\n"))
        #expect(problem == FileProblem(
            file: "evidence.csv", line: 1,
            reason: "the header has the column \"Standard 5\" twice (columns 5 and 6); remove or rename one"
        ))
    }

    @Test func emptyFileAndHeaderOnly() throws {
        #expect(Fixture.problem(Fixture.write("")) == FileProblem(file: "evidence.csv", reason: "the file is empty"))
        #expect(Fixture.problem(Fixture.write("\r\n\n")) == FileProblem(file: "evidence.csv", reason: "the file has no header row"))
        let (reader, outcomes) = try Fixture.readAll(Fixture.write("evidence_id,school,activity,date\r\n"))
        #expect(outcomes.isEmpty)
        #expect(reader.originalHeader == ["evidence_id", "school", "activity", "date"])
        let (_, none) = try Fixture.readAll(Fixture.write("evidence_id,school,activity,date"))
        #expect(none.isEmpty)
    }

    @Test func emptyLinesAndBlankRowsAreSkipped() throws {
        let path = Fixture.write("evidence_id,school,activity,date\n\n,,,\nE1,Oak,peer review,2024-01-01\n\r\n")
        let (_, outcomes) = try Fixture.readAll(path)
        #expect(outcomes.count == 1)
        #expect(outcomes[0].line == 4)
    }

    @Test func invalidUTF8FailsTheFile() {
        var bytes = Array("evidence_id,school,activity,date\nE1,Caf".utf8)
        bytes += [0xE9] + Array(",peer review,2024-01-01\n".utf8)
        let problem = Fixture.problem(Fixture.write(bytes))
        #expect(problem?.line == 2)
        #expect(problem?.column == 7)
        #expect(problem?.reason.contains("--encoding windows-1252") == true)
    }

    @Test func windows1252Conversion() throws {
        var bytes = Array("evidence_id,school,activity,date,strengths\nE1,St Mary".utf8)
        bytes += [0x92] + Array("s,peer review,2024-01-01,".utf8) + [0xA3, 0x35, 0x20, 0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0xE9, 0x81] + [0x0A]
        let path = Fixture.write(bytes)
        let (_, outcomes) = try Fixture.readAll(path, options: Fixture.options { $0.encoding = .windows1252 })
        let record = try #require(outcomes.first?.record)
        #expect(record.school == "St Mary’s")
        #expect(record.strengths == "£5 € “q” é\u{81}")
        var all = [UInt8](0...255)
        all.removeAll { $0 == 0 }
        let converted = all.withUnsafeBufferPointer { source -> String in
            var out = [UInt8](repeating: 0, count: 3 * source.count)
            let n = out.withUnsafeMutableBufferPointer { Windows1252.convert(source.baseAddress!, count: source.count, into: $0.baseAddress!) }
            return String(decoding: out[0..<n], as: UTF8.self)
        }
        #expect(converted.unicodeScalars.count == 255)
        #expect(Array(converted.unicodeScalars)[0x80 - 1].value == 0x20AC)
        #expect(Array(converted.unicodeScalars)[0xFF - 1].value == 0xFF)
    }

    @Test func nulByteRejectsTheRow() throws {
        let path = Fixture.write(Array("evidence_id,school,activity,date\nE1,Oa\0k,peer review,2024-01-01\nE2,Oak,peer review,2024-01-01\n".utf8))
        let (_, outcomes) = try Fixture.readAll(path)
        #expect(outcomes[0].reject == Reject(
            file: "evidence.csv", line: 2, column: "school",
            reason: "school contains a NUL byte (character code 0), which cannot be stored; remove it",
            original: ["E1", "Oak", "peer review", "2024-01-01"]
        ))
        #expect(outcomes[1].record?.evidenceID == "E2")
    }

    @Test func unclosedQuoteRejectsTheRecord() throws {
        let path = Fixture.write("evidence_id,school,activity,date,strengths\nE1,Oak,peer review,2024-01-01,ok\nE2,Oak,peer review,2024-01-01,\"never\nclosed\n")
        let (_, outcomes) = try Fixture.readAll(path)
        #expect(outcomes.count == 2)
        #expect(outcomes[1].reject?.line == 3)
        #expect(outcomes[1].reject?.column == nil)
        #expect(outcomes[1].reject?.reason == "quoted field opened on line 3 is never closed; add the closing quote (\")")
    }

    @Test func wrongFieldCount() throws {
        let path = Fixture.write("evidence_id,school,activity,date\nE1,Oak,peer review\nE2,Oak,peer review,2024-01-01,extra\n")
        let (_, outcomes) = try Fixture.readAll(path)
        #expect(outcomes.map { $0.reject?.reason } == [
            "the row has 3 fields but the header has 4; check for a missing comma or an unquoted comma inside a value",
            "the row has 5 fields but the header has 4; check for a missing comma or an unquoted comma inside a value",
        ])
        #expect(outcomes.map(\.line) == [2, 3])
        #expect(outcomes[0].reject?.original == ["E1", "Oak", "peer review"])
    }

    @Test func overLongFieldRejectsRowAndReaderContinues() throws {
        let big = String(repeating: "é", count: 2_500_000) // 5 MB
        let path = Fixture.write("evidence_id,school,activity,date,strengths\nE1,Oak,peer review,2024-01-01,\(big)\nE2,Oak,peer review,2024-01-01,fine\n")
        let (_, outcomes) = try Fixture.readAll(path)
        #expect(outcomes.count == 2)
        let reject = try #require(outcomes[0].reject)
        #expect(reject.line == 2)
        #expect(reject.column == "strengths")
        #expect(reject.reason == "strengths is longer than 1 MiB; shorten it (or raise the limit)")
        #expect(reject.original[4].utf8.count == 1 << 20)
        #expect(outcomes[1].record?.strengths == "fine")
        #expect(outcomes[1].line == 3)
    }

    @Test func hundredThousandColumnRow() throws {
        let path = Fixture.write("evidence_id,school,activity,date\n" + String(repeating: "x,", count: 99_999) + "x\nE2,Oak,peer review,2024-01-01\n")
        let (_, outcomes) = try Fixture.readAll(path)
        #expect(outcomes.count == 2)
        #expect(outcomes[0].reject?.reason == "the row has 100000 fields, more than the limit of 1000; the header has 4; check for stray commas")
        #expect(outcomes[0].reject?.original.count == 1000)
        #expect(outcomes[1].record?.evidenceID == "E2")
    }

    @Test func formulaPayloadsAndUnicodeAreData() throws {
        let record = try Fixture.record(header: "evidence_id,school,activity,date,next_steps,strengths",
                                        "=1+2,@SUM(A1),peer review,2024-01-01,\"-2,\"\"x\"\"\",🙂 naïve")
        #expect(record?.evidenceID == "=1+2")
        #expect(record?.school == "@SUM(A1)")
        #expect(record?.nextSteps == "-2,\"x\"")
        #expect(record?.strengths == "🙂 naïve")
    }
}
