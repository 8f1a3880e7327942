import QACore
import QAQuery
import Testing

@Suite struct CoverageTests {
    let spring2023 = CalendarDate(year: 2023, month: 3, day: 20)!

    func lines(_ gaps: [CoverageGap]) -> [String] {
        gaps.map { g in
            [g.gap, g.school ?? "-", g.subject ?? "-", g.staff ?? "-", g.standard.map(String.init) ?? "-", g.academicYear,
             g.term ?? "-"].joined(separator: "|")
        }
    }

    @Test func gapsThisYearAndTermFromToday() throws {
        let f = try standardFixture()
        let gaps = lines(try Coverage(today: spring2023).run(on: f.connection))
        #expect(Array(gaps.prefix(5)) == [
            "no_deep_dive|Oakfield Academy|History|-|-|2022/23|-",
            "no_deep_dive|Oakfield Academy|Maths|-|-|2022/23|-",
            "no_deep_dive|Riverside School|Maths|-|-|2022/23|-",
            // Ben's lesson visit on 31 March is in the spring term; Ann's was in the autumn.
            "no_lesson_visit|Oakfield Academy|-|Ann Archer|-|2022/23|spring",
            "no_lesson_visit|Riverside School|-|Cara Cole|-|2022/23|spring",
        ])
        let never = gaps.dropFirst(5).map { $0.split(separator: "|").map(String.init) }
        #expect(never.allSatisfy { $0[0] == "standard_never_evidenced" })
        #expect(never.filter { $0[2] == "History" }.map { $0[4] } == ["2", "3", "4", "6", "7", "8", "9", "10", "11", "12"])
        #expect(never.filter { $0[2] == "Maths" }.map { $0[4] } == ["3", "4", "8", "9", "10", "11", "12"])
        #expect(gaps.count == 22)
    }

    @Test func theYearAndTermCanBeNamed() throws {
        let f = try standardFixture()
        let filter = Filter(school: "riverside school", academicYear: AcademicYear(startYear: 2023), term: .autumn)
        let gaps = lines(try Coverage(filter: filter, today: spring2023).run(on: f.connection))
        // Riverside's Maths deep dive on 1 September 2023 covers 2023/24; Cara had no lesson visit that autumn.
        #expect(Array(gaps.prefix(1)) == ["no_lesson_visit|Riverside School|-|Cara Cole|-|2023/24|autumn"])
        #expect(gaps.dropFirst().allSatisfy { $0.hasPrefix("standard_never_evidenced|-|Maths") })
        #expect(gaps.count == 1 + 9)  // Riverside's Maths rated 1, 5 and 7 only
    }
}
