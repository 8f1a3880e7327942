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

    /// Staff members who share a name come in the order they were first loaded, every time: the key follows the
    /// name in the ordering (a parallel grouping hands PostgreSQL's sort its rows in any order). Twenty of them,
    /// told apart by how many ratings each has.
    @Test func staffWhoShareANameComeInTheSameOrderEveryTime() throws {
        let f = try standardFixture()
        for i in 1...20 {
            let sam = try f.staff("Sam Smith", school: 1, externalID: "S\(i)")
            for r in 1...i {
                try f.record("SAM\(i)-\(r)", school: 1, subject: 1, staff: sam, date: "2023-02-06", ratings: [1: .green])
            }
        }
        try f.refresh()
        let expected = (1...20).map { "Sam Smith: \($0) 0 \($0) 0 0" }
        for preference in [CountSource.Preference.automatic, .baseTables] {
            let rows = try Distribution(by: [.staff], filter: Filter(staff: "sam smith"), preference: preference)
                .run(on: f.connection)
            #expect(rows.summary == expected, "\(preference)")
        }
        // PostgreSQL may happen to hand the sort these rows in key order anyway: the ordering must say so itself.
        for dimension in [Dimension.school, .subject, .staff, .activity] {
            let key = "g.\"\(dimension.name)\""
            for sql in [Distribution(by: [dimension]).sql.text, Trend(by: dimension).sql.text] {
                let order = try #require(sql.split(separator: "ORDER BY ").last)
                #expect(order.contains(", \(key)"), "\(dimension): \(order)")
            }
        }
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

    @Test func thePlannerPicksTheSmallestSummaryThatHasEveryField() throws {
        #expect(Distribution(by: [.standard, .school]).source == .summary(.schoolSummary))
        #expect(Distribution(by: [.standard, .school, .term], filter: Filter(academicYear: AcademicYear(startYear: 2022))).source
                == .summary(.schoolSummary))
        #expect(Distribution(by: [.standard, .subject]).source == .summary(.ratingSummary))
        #expect(Distribution(by: [.standard], filter: Filter(activity: .lessonVisit)).source == .summary(.ratingSummary))
        // A cohort or a year group: by term without the subject or activity, by subject over every year (034), else
        // the summary with every field (004).
        #expect(Distribution(by: [.cohort]).source == .summary(.cohortTermSummary))
        #expect(Distribution(by: [.cohort, .subject]).source == .summary(.cohortSubjectSummary))
        #expect(Distribution(by: [.cohort, .subject, .term]).source == .summary(.cohortSummary))
        #expect(Distribution(by: [.cohort, .activity]).source == .summary(.cohortSummary))
        #expect(Distribution(by: [.standard], filter: Filter(yearGroup: .unspecified)).source == .summary(.yearGroupTermSummary))
        #expect(Distribution(by: [.standard, .term], filter: Filter(yearGroup: .unspecified)).source == .summary(.yearGroupTermSummary))
        #expect(Distribution(by: [.school, .yearGroup], filter: Filter(subject: "Maths")).source == .summary(.yearGroupSubjectSummary))
        #expect(Distribution(by: [.yearGroup], filter: Filter(subject: "Maths", term: .spring)).source == .summary(.yearGroupSummary))
        #expect(Distribution(by: [.staff]).source == .summary(.staffTermSummary))
        #expect(Distribution(by: [.staff, .standard]).source == .summary(.staffOverallSummary))
        #expect(Distribution(by: [.staff, .standard, .term]).source == .summary(.staffSummary))
        // A cohort or year-group summary counts a rating once per cohort: never read for other questions.
        #expect(Distribution(by: [.school, .standard], filter: Filter(staff: "Ann Archer")).source == .summary(.staffOverallSummary))
        #expect(Distribution(by: [.cohort, .yearGroup]).source == .base(cohorts: true, yearGroups: true))
        // Dates: the month summary where the range holds a whole month and the other fields are rating_summary's.
        let fromJanuary = Filter(from: CalendarDate(year: 2023, month: 1, day: 1))
        #expect(Distribution(by: [.standard], filter: fromJanuary).source
                == .months(MonthRange(from: fromJanuary.from, to: nil)!, fromJanuary, .ratingMonthSummary))
        var withinJanuary = fromJanuary
        withinJanuary.to = CalendarDate(year: 2023, month: 1, day: 30)
        #expect(Distribution(by: [.standard], filter: withinJanuary).source == .base(cohorts: false, yearGroups: false))
        // Other fields: the summary kept by year and term for the terms wholly inside the range.
        let sinceJanuary = try #require(TermRange(from: fromJanuary.from, to: nil))
        #expect(Distribution(by: [.cohort], filter: fromJanuary).source == .terms(sinceJanuary, fromJanuary, .cohortTermSummary))
        #expect(Distribution(by: [.cohort, .subject], filter: fromJanuary).source == .terms(sinceJanuary, fromJanuary, .cohortSummary))
        #expect(Distribution(by: [.staff], filter: fromJanuary).source == .terms(sinceJanuary, fromJanuary, .staffTermSummary))
        // A cohort and a year group together: no summary has both.
        #expect(Distribution(by: [.cohort, .yearGroup], filter: fromJanuary).source == .base(cohorts: true, yearGroups: true))
    }

    /// Expects each filter with each range of dates, grouped by each list of dimensions, to give the base tables'
    /// answer; returns the sources the planner chose.
    func expectAgreementWithTheBaseTables(
        _ f: Fixture, ranges: [(CalendarDate?, CalendarDate?)], filters: [Filter], dimensions: [[Dimension]], _ context: String
    ) throws -> [CountSource] {
        var sources: [CountSource] = []
        for (from, to) in ranges {
            for other in filters {
                var filter = other
                filter.from = from
                filter.to = to
                for dims in dimensions {
                    let auto = Distribution(by: dims, filter: filter)
                    var base = auto
                    base.preference = .baseTables
                    sources.append(auto.source)
                    #expect(try auto.run(on: f.connection) == base.run(on: f.connection), "\(context) \(dims) \(filter)")
                }
            }
        }
        return sources
    }

    /// A range of days is its whole months and the days at its ends.
    @Test func aRangeOfDaysSplitsIntoWholeMonthsAndEndDays() throws {
        func day(_ text: String) throws -> CalendarDate {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            return try #require(CalendarDate(year: parts[0], month: parts[1], day: parts[2]))
        }
        func months(_ from: String?, _ to: String?) throws -> String {
            guard let range = MonthRange(from: try from.map(day), to: try to.map(day)) else { return "none" }
            return "\(range.wholeFrom?.iso ?? "-")..<\(range.wholeUntil?.iso ?? "-")"
        }
        #expect(try months("2025-02-01", "2025-04-30") == "2025-02-01..<2025-05-01")
        #expect(try months("2025-02-15", "2025-05-14") == "2025-03-01..<2025-05-01")
        #expect(try months("2024-12-31", "2025-02-28") == "2025-01-01..<2025-03-01")
        #expect(try months("2024-01-31", "2024-02-28") == "none")
        #expect(try months("2024-02-01", "2024-02-29") == "2024-02-01..<2024-03-01")
        #expect(try months("2025-02-03", "2025-02-20") == "none")
        #expect(try months("2025-02-03", "2025-03-30") == "none")
        #expect(try months("2025-02-03", nil) == "2025-03-01..<-")
        #expect(try months(nil, "2025-02-03") == "-..<2025-02-01")
        #expect(try months(nil, nil) == "none")
    }

    /// Whole months come from the month summary and the end days from the base tables: the same answer as the base
    /// tables alone for every range, including ranges that start or end inside a month, open ranges and a range
    /// with no whole month.
    @Test func datesAnsweredFromWholeMonthsAndEndDaysEqualTheBaseTables() throws {
        let f = try standardFixture()
        func day(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate? { CalendarDate(year: y, month: m, day: d) }
        let ranges: [(CalendarDate?, CalendarDate?)] = [
            (day(2023, 1, 1), day(2023, 3, 31)), (day(2023, 1, 3), day(2023, 4, 1)), (day(2023, 1, 4), day(2023, 3, 31)),
            (day(2023, 3, 31), day(2023, 4, 1)), (day(2023, 4, 1), nil), (nil, day(2023, 1, 2)), (nil, day(2023, 1, 3)),
            (day(2023, 2, 1), day(2023, 2, 28)), (day(2022, 10, 4), day(2023, 9, 1)), (day(2022, 9, 1), day(2023, 8, 31)),
            (day(2023, 3, 15), day(2023, 4, 30)),
        ]
        let others = [Filter(), Filter(school: "oakfield academy"), Filter(standard: .ambitiousCurriculum),
                      Filter(subject: "Maths", activity: .lessonVisit), Filter(academicYear: AcademicYear(startYear: 2022), term: .spring)]
        let dimensions: [[Dimension]] = [[], [.standard], [.school, .standard], [.subject, .activity], [.academicYear, .term],
                                         [.phase, .department], [.staff], [.cohort]]
        let sources = try expectAgreementWithTheBaseTables(f, ranges: ranges, filters: others, dimensions: dimensions, "")
        let monthsUsed = sources.filter { if case .months = $0 { true } else { false } }.count
        // 10 ranges with a whole month x 5 filters x 6 dimension lists (staff needs the base tables), and by cohort
        // (SQL/035) 7 of the ranges (not the three of whole default terms, read by term) x the 4 filters without a
        // subject or an activity.
        #expect(monthsUsed == 300 + 28)
        // Exact counts. January to March whole: E2 and E3, no end days.
        let q1 = Filter(from: day(2023, 1, 1), to: day(2023, 3, 31))
        #expect(try run(f, [], q1) == [": 4 0 2 1 1"])
        // 3 January to 1 April: February and March whole, E2 on an end day in January, E4 on 1 April.
        #expect(try run(f, [.school], Filter(from: day(2023, 1, 3), to: day(2023, 4, 1)))
                == ["Oakfield Academy: 4 0 2 1 1", "Riverside School: 3 1 0 1 1"])
        // From 4 January: E2 (3 January) is left out; E3 (31 March) is in a whole month.
        #expect(try run(f, [.standard], Filter(from: day(2023, 1, 4), to: day(2023, 3, 31))) == ["1: 1 0 1 0 0", "5: 1 0 1 0 0"])
        // From 2 April on: E4 (1 April) is left out, E5 (September) is in a whole month; from 1 April, April is
        // whole too and E4 counts.
        #expect(try run(f, [.activity], Filter(from: day(2023, 4, 2))) == ["deep dive: 1 0 1 0 0"])
        #expect(try run(f, [.activity], Filter(from: day(2023, 4, 1))) == ["deep dive: 1 0 1 0 0", "lesson visit: 3 1 0 1 1"])
        // Up to 2 January: E1 in a whole month (E6, withdrawn, never counts); up to 3 January adds E2 as an end day.
        #expect(try run(f, [], Filter(to: day(2023, 1, 2))) == [": 3 1 1 1 0"])
        #expect(try run(f, [], Filter(to: day(2023, 1, 3))) == [": 5 1 1 2 1"])
    }

    /// With a cohort, a year group or a staff member (no month summary has them), whole terms come from the summary
    /// kept by year and term and the end days from the base tables: the same answer as the base tables alone, by
    /// the default terms and by the trust's own term dates, for ranges of whole terms, ranges that start or end
    /// inside a term, open ranges and a range inside one term.
    @Test func datesAnsweredFromWholeTermsAndEndDaysEqualTheBaseTables() throws {
        let f = try standardFixture()
        func day(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate? { CalendarDate(year: y, month: m, day: d) }
        let ranges: [(CalendarDate?, CalendarDate?)] = [
            (day(2022, 9, 1), day(2023, 8, 31)), (day(2023, 1, 1), day(2023, 3, 31)), (day(2023, 1, 3), day(2023, 4, 16)),
            (day(2023, 1, 4), day(2023, 4, 16)), (day(2022, 10, 4), day(2023, 9, 1)), (nil, day(2023, 3, 31)),
            (day(2023, 1, 1), nil), (day(2023, 2, 1), day(2023, 2, 10)), (day(2022, 9, 1), day(2024, 8, 31)),
            (nil, day(2023, 1, 3)),
        ]
        let others = [Filter(), Filter(cohort: "send"), Filter(yearGroup: .group(try #require(YearGroup(number: 7)))), Filter(staff: "Ann Archer"),
                      Filter(school: "Oakfield Academy", cohort: "unspecified"), Filter(academicYear: AcademicYear(startYear: 2022))]
        let dimensions: [[Dimension]] = [[.cohort], [.yearGroup], [.staff], [.standard, .cohort], [.school, .yearGroup],
                                         [.staff, .term], [.standard]]
        var termsUsed = 0, monthsUsed = 0
        for calendar in ["default", "trust"] {
            if calendar == "trust" {
                try f.connection.execute(
                    """
                    INSERT INTO qa.term_date VALUES (2022, 'autumn', '2022-09-05', '2022-12-20'),
                        (2022, 'spring', '2023-01-04', '2023-03-31'), (2022, 'summer', '2023-04-17', '2023-07-21')
                    """)
                try f.refresh()
            }
            let sources = try expectAgreementWithTheBaseTables(f, ranges: ranges, filters: others, dimensions: dimensions, calendar)
            termsUsed += sources.filter { if case .terms = $0 { true } else { false } }.count
            monthsUsed += sources.filter { if case .months = $0 { true } else { false } }.count
        }
        // 30 of them (312 before) are the spring term's dates, 1 January to 31 March, without a cohort or a year
        // group: whole terms by the default dates, split since 7 December. Since SQL/035 a cohort or year group
        // whose range is not whole default terms and holds a whole month is read by month: 342 -> 254, and 172 by
        // month (those 88, and 84 read from the base tables alone before: by cohort or year group without either
        // filter, under a year).
        #expect(termsUsed == 254)
        #expect(monthsUsed == 172)
        // Exact counts, by the trust's terms (spring: 4 January to 16 April, the Easter holiday included). Spring
        // whole: E4 (SEND, 1 April, in the holiday), no end days.
        let spring = Filter(cohort: "SEND", from: day(2023, 1, 4), to: day(2023, 4, 16))
        // Not whole terms by the default dates: February and March from the cohorts' counts by month (SQL/035), 4-31
        // January and 1-16 April from the records. Whole default terms are read by term.
        #expect(Distribution(by: [.cohort], filter: spring).source
                == .months(try #require(MonthRange(from: spring.from, to: spring.to)), spring, .cohortMonthSummary))
        let defaultSpring = Filter(cohort: "SEND", from: day(2023, 1, 1), to: day(2023, 3, 31))
        #expect(Distribution(by: [.cohort], filter: defaultSpring).source
                == .terms(try #require(TermRange(for: defaultSpring)), defaultSpring, .cohortTermSummary))
        #expect(try run(f, [.cohort], spring) == ["SEND: 3 1 0 1 1"])
        // From 3 January: E2, in the autumn term (which is not whole), comes in from the records; it names no
        // cohort. From 4 January it is left out.
        #expect(try run(f, [.standard], Filter(cohort: "unspecified", from: day(2023, 1, 3), to: day(2023, 4, 16)))
                == ["5: 1 0 0 0 1", "6: 1 0 0 1 0"])
        #expect(try run(f, [.standard], Filter(cohort: "unspecified", from: day(2023, 1, 4), to: day(2023, 4, 16))) == [])
        // Up to 15 April: spring is no longer whole, and E4 is read from the records.
        let beforeSummer = try run(f, [.yearGroup], Filter(yearGroup: .group(try #require(YearGroup(number: 9))),
                                                           from: day(2023, 1, 4), to: day(2023, 4, 15)))
        #expect(beforeSummer == ["Y9: 3 1 0 1 1"])
        // By cohort without a cohort filter: the whole months from 035's counts and the end days from the records,
        // and a range with no whole month from the records alone; whole terms by the default dates (the spring
        // term: 1 January to 31 March) by term.
        let byDates = Filter(from: day(2023, 1, 4), to: day(2023, 4, 16))
        #expect(Distribution(by: [.cohort], filter: byDates).source
                == .months(try #require(MonthRange(from: byDates.from, to: byDates.to)), byDates, .cohortMonthSummary))
        #expect(Distribution(by: [.cohort], filter: Filter(from: day(2023, 2, 3), to: day(2023, 3, 30))).source
                == .base(cohorts: true, yearGroups: false))
        let springTerm = Filter(from: day(2023, 1, 1), to: day(2023, 3, 31))
        #expect(Distribution(by: [.cohort], filter: springTerm).source
                == .terms(try #require(TermRange(for: springTerm)), springTerm, .cohortTermSummary))
    }
}
