import QACore
import Testing

@Suite struct DomainTests {
    @Test func ratingSpellings() {
        for (text, rating) in [("G*", Rating.gold), ("gold", .gold), (" Gold ", .gold), ("g*", .gold), ("G", .green),
                               ("green", .green), ("g", .green), ("A", .amber), ("amber", .amber), ("R", .red), ("RED", .red)] {
            #expect(Rating(parsing: text) == rating, "\(text)")
        }
        for text in ["", " ", "Greem", "GG", "1", "Gold star"] { #expect(Rating(parsing: text) == nil, "\(text)") }
        #expect(Rating.red < .amber && Rating.amber < .green && Rating.green < .gold)
        #expect(Rating.allCases.map(\.code) == ["R", "A", "G", "G*"])
    }

    @Test func activities() {
        #expect(Activity(parsing: "Lesson visit") == .lessonVisit)
        #expect(Activity(parsing: "lesson_visit") == .lessonVisit)
        #expect(Activity(parsing: "DEEP-DIVE") == .deepDive)
        #expect(Activity(parsing: "Subject Leader Discussion") == .subjectLeaderDiscussion)
        #expect(Activity(parsing: "walkabout") == nil)
        #expect(Activity.peerReview.requiresSubject == false)
        #expect(Activity.lessonVisit.words == "lesson visit")
    }

    @Test func dates() throws {
        #expect(try CalendarDate.parse("2023-03-14").get() == CalendarDate(year: 2023, month: 3, day: 14))
        #expect(try CalendarDate.parse("14/03/2023").get() == CalendarDate(year: 2023, month: 3, day: 14))
        #expect(try CalendarDate.parse("4/3/2023").get() == CalendarDate(year: 2023, month: 3, day: 4))
        #expect(try CalendarDate.parse("2023-03-14T09:00:00Z").get() == CalendarDate(year: 2023, month: 3, day: 14))
        #expect(CalendarDate.parse("31/02/2023") == .failure(.noSuchDay(year: 2023, month: 2, day: 31)))
        #expect(CalendarDate.parse("29/02/2023") == .failure(.noSuchDay(year: 2023, month: 2, day: 29)))
        #expect((try? CalendarDate.parse("29/02/2024").get()) != nil)
        #expect(CalendarDate.parse("14/03/23") == .failure(.unrecognised))
        #expect(CalendarDate.parse("2023-0003-14") == .failure(.unrecognised))
        #expect(CalendarDate.parse("March 14") == .failure(.unrecognised))
        let d = CalendarDate(year: 2023, month: 3, day: 14)
        #expect(d?.isoWeekday == 2)
        #expect(d.map { CalendarDate(daysSinceEpoch: $0.daysSinceEpoch) } == d)
    }

    @Test func academicYearsAndTerms() throws {
        let aug = try #require(CalendarDate(year: 2023, month: 8, day: 31))
        let sep = try #require(CalendarDate(year: 2023, month: 9, day: 1))
        #expect(AcademicYear(containing: aug).description == "2022/23")
        #expect(AcademicYear(containing: sep).description == "2023/24")
        #expect(AcademicYear(parsing: "2022/23") == AcademicYear(startYear: 2022))
        #expect(AcademicYear(parsing: "2022-2023") == AcademicYear(startYear: 2022))
        #expect(AcademicYear(parsing: "2022/24") == nil)
        #expect(AcademicYear(startYear: 2022).lastDay == aug)
        #expect(Term(defaultFor: sep) == .autumn)
        #expect(Term(defaultFor: try #require(CalendarDate(year: 2024, month: 3, day: 31))) == .spring)
        #expect(Term(defaultFor: try #require(CalendarDate(year: 2024, month: 4, day: 1))) == .summer)
    }

    @Test func workingDaysSkipWeekendsAndClosures() throws {
        let friday = try #require(CalendarDate(year: 2023, month: 3, day: 10))
        let monday = try #require(CalendarDate(year: 2023, month: 3, day: 13))
        let inset = try #require(CalendarDate(year: 2023, month: 3, day: 15))
        #expect(WorkingDays().count(after: friday, through: monday) == 1)
        #expect(WorkingDays().count(after: monday, through: monday.adding(days: 7)) == 5)
        #expect(WorkingDays(closures: [inset]).count(after: monday, through: monday.adding(days: 7)) == 4)
        #expect(WorkingDays().deadline(after: friday, workingDays: 5) == friday.adding(days: 7))
        #expect(WorkingDays(closures: [inset]).deadline(after: friday, workingDays: 5) == friday.adding(days: 10))
    }

    @Test func cohortsAndYearGroups() {
        #expect(Cohort.list(from: "SEND; pupil premium,Boys;send").map(\.name) == ["SEND", "Disadvantaged", "Boys"])
        #expect(YearGroup(parsing: "Y7")?.number == 7)
        #expect(YearGroup(parsing: "year 11")?.number == 11)
        #expect(YearGroup(parsing: "R")?.number == 0)
        #expect(YearGroup(parsing: "Y14") == nil)
        #expect(YearGroup(parsing: "+7") == nil)
    }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var streamed = SHA256()
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        for chunk in stride(from: 0, to: million.count, by: 999) { streamed.update(Array(million[chunk..<min(chunk + 999, million.count)])) }
        #expect(streamed.finishHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
