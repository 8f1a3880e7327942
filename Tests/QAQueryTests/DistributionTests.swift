import Postgres
import QACore
import QAQuery
import Testing

@Suite struct DistributionTests {
    func run(_ f: Fixture, _ dims: [Dimension], _ filter: Filter = Filter()) throws -> [String] {
        try Distribution(by: dims, filter: filter).run(on: f.connection).summary
    }

    @Test func byStandardCountsEachRatingOnceAndSkipsWithdrawnRecords() throws {
        let f = try standardFixture()
        #expect(try run(f, [.standard]) == ["1: 3 1 1 0 1", "2: 1 0 1 0 0", "5: 5 0 2 2 1", "6: 1 0 0 1 0", "7: 1 1 0 0 0"])
        let rows = try Distribution(by: [.standard]).run(on: f.connection)
        let five = try #require(rows.first { $0.groups == [.number(5)] })
        #expect(five.goldPct == 0 && five.greenPct == 40 && five.amberPct == 40 && five.redPct == 20)
        #expect(five.meanScore == 2.2)
        #expect(five.goodOrBetterPct == 40)
    }

    @Test func aRatingCountsOnceUnderEachCohortOfItsRecord() throws {
        let f = try standardFixture()
        #expect(try run(f, [.cohort]) == ["Boys: 3 1 1 1 0", "Girls: 2 0 2 0 0", "SEND: 6 2 1 2 1", "unspecified: 3 0 1 1 1"])
        #expect(try run(f, [.cohort], Filter(cohort: "send")) == ["SEND: 6 2 1 2 1"])
        #expect(try run(f, [], Filter(cohort: "boys")) == [": 3 1 1 1 0"])
    }

    @Test func yearGroupsCountLikeCohorts() throws {
        let f = try standardFixture()
        #expect(try run(f, [.yearGroup]) == ["Y7: 5 1 1 2 1", "Y8: 2 0 0 1 1", "Y9: 3 1 0 1 1", "unspecified: 3 0 3 0 0"])
        #expect(try run(f, [.standard], Filter(yearGroup: .group(YearGroup(number: 8)!))) == ["5: 1 0 0 0 1", "6: 1 0 0 1 0"])
        #expect(try run(f, [], Filter(yearGroup: .unspecified)) == [": 3 0 3 0 0"])
    }

    @Test func termsFollowTheDefaultMonthsAndTheTrustsDatesWhenLoaded() throws {
        let f = try standardFixture()
        #expect(try run(f, [.academicYear, .term]) == [
            "2022/23/autumn: 3 1 1 1 0", "2022/23/spring: 4 0 2 1 1", "2022/23/summer: 3 1 0 1 1", "2023/24/autumn: 1 0 1 0 0",
        ])
        // The trust's spring term starts on 4 January and summer on 17 April: a date in the holiday
        // before a term counts in the term before it.
        try f.connection.execute(
            """
            INSERT INTO qa.term_date VALUES (2022, 'autumn', '2022-09-05', '2022-12-20'),
                (2022, 'spring', '2023-01-04', '2023-03-31'), (2022, 'summer', '2023-04-17', '2023-07-21')
            """)
        try f.refresh()
        #expect(try run(f, [.academicYear, .term]) == [
            "2022/23/autumn: 5 1 1 2 1", "2022/23/spring: 5 1 2 1 1", "2023/24/autumn: 1 0 1 0 0",
        ])
        #expect(try run(f, [.standard], Filter(academicYear: AcademicYear(startYear: 2022), term: .summer)) == [])
    }

    @Test func namedDimensionsUseTheNamesAsLoaded() throws {
        let f = try standardFixture()
        #expect(try run(f, [.school]) == ["Oakfield Academy: 7 1 3 2 1", "Riverside School: 4 1 1 1 1"])
        #expect(try run(f, [.subject]) == ["History: 2 0 2 0 0", "Maths: 9 2 2 3 2"])
        #expect(try run(f, [.staff]) == ["Ann Archer: 5 1 1 2 1", "Ben Brook: 2 0 2 0 0", "Cara Cole: 4 1 1 1 1"])
        #expect(try run(f, [.activity]) == ["deep dive: 1 0 1 0 0", "lesson visit: 8 2 3 2 1", "work scrutiny: 2 0 0 1 1"])
        #expect(try run(f, [.phase]) == ["primary: 7 1 3 2 1", "secondary: 4 1 1 1 1"])
        #expect(try run(f, [.department]) == ["Humanities: 2 0 2 0 0", "Mathematics: 9 2 2 3 2"])
    }

    @Test func filtersCombineAndMatchNamesCaseInsensitively() throws {
        let f = try standardFixture()
        #expect(try run(f, [.standard], Filter(school: "  oakfield ACADEMY ", subject: "maths")) ==
                ["1: 1 1 0 0 0", "2: 1 0 1 0 0", "5: 2 0 0 1 1", "6: 1 0 0 1 0"])
        #expect(try run(f, [], Filter(staff: "t001")) == [": 5 1 1 2 1"])
        #expect(try run(f, [], Filter(activity: .deepDive, staff: "CARA cole")) == [": 1 0 1 0 0"])
        #expect(try run(f, [], Filter(standard: .ambitiousCurriculum, from: CalendarDate(year: 2023, month: 1, day: 3),
                                      to: CalendarDate(year: 2023, month: 4, day: 1))) == [": 3 0 1 1 1"])
    }

    @Test func theWilsonIntervalIsAddedOnRequest() throws {
        let f = try standardFixture()
        let rows = try Distribution(by: [.standard], filter: Filter(standard: .ambitiousCurriculum), confidenceInterval: true)
            .run(on: f.connection)
        // 2 of 5 good or better: Wilson 95% interval 11.8% to 76.9%.
        #expect(rows.first?.goodOrBetterInterval == GoodOrBetterInterval(low: 11.8, high: 76.9))
    }

    @Test func summariesAndBaseTablesGiveIdenticalAnswers() throws {
        let f = try standardFixture()
        let all = Dimension.allCases
        var combinations = all.map { [$0] }
        for a in all { for b in all where a.rawValue < b.rawValue { combinations.append([a, b]) } }
        let filters = [
            Filter(), Filter(school: "oakfield academy"), Filter(cohort: "SEND"), Filter(yearGroup: .unspecified),
            Filter(standard: .behaviour), Filter(academicYear: AcademicYear(startYear: 2022), term: .spring),
            Filter(staff: "Ann Archer"), Filter(subject: "Maths", activity: .lessonVisit),
        ]
        var summaryUsed = 0
        for dims in combinations {
            for filter in filters {
                let auto = Distribution(by: dims, filter: filter, confidenceInterval: true)
                var base = auto
                base.preference = .baseTables
                if case .summary = auto.source { summaryUsed += 1 }
                #expect(try auto.run(on: f.connection) == base.run(on: f.connection), "\(dims) \(filter)")
            }
        }
        #expect(summaryUsed > 300)
    }

    @Test func thePlannerPicksTheSmallestSummaryThatHasEveryField() {
        #expect(Distribution(by: [.standard, .school]).source == .summary(.schoolSummary))
        #expect(Distribution(by: [.standard, .school, .term], filter: Filter(academicYear: AcademicYear(startYear: 2022))).source
                == .summary(.schoolSummary))
        #expect(Distribution(by: [.standard, .subject]).source == .summary(.ratingSummary))
        #expect(Distribution(by: [.standard], filter: Filter(activity: .lessonVisit)).source == .summary(.ratingSummary))
        #expect(Distribution(by: [.cohort]).source == .summary(.cohortStaffSummary))
        #expect(Distribution(by: [.cohort, .subject]).source == .summary(.cohortSummary))
        #expect(Distribution(by: [.standard], filter: Filter(yearGroup: .unspecified)).source == .summary(.yearGroupStaffSummary))
        #expect(Distribution(by: [.standard, .term], filter: Filter(yearGroup: .unspecified)).source == .summary(.yearGroupSummary))
        #expect(Distribution(by: [.staff]).source == .summary(.staffTermSummary))
        #expect(Distribution(by: [.staff, .standard]).source == .summary(.staffOverallSummary))
        #expect(Distribution(by: [.staff, .standard, .term]).source == .summary(.staffSummary))
        // A cohort or year-group summary counts a rating once per cohort: never read for other questions.
        #expect(Distribution(by: [.school, .standard], filter: Filter(staff: "Ann Archer")).source == .summary(.staffOverallSummary))
        #expect(Distribution(by: [.cohort, .yearGroup]).source == .base(cohorts: true, yearGroups: true))
        #expect(Distribution(by: [.standard], filter: Filter(from: CalendarDate(year: 2023, month: 1, day: 1))).source
                == .base(cohorts: false, yearGroups: false))
    }
}
