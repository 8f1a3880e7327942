import QACore
import QAQuery
import Testing

@Suite struct CPDNeedsTests {
    @Test func staffNeedTwoWeakRatingsFromTwoRecordsWithAtLeastOneRed() throws {
        let f = try standardFixture()
        let oak = 1, maths = 1
        let dan = try f.staff("Dan Dale", school: oak)
        try f.record("D1", school: oak, subject: maths, staff: dan, date: "2023-01-09", ratings: [9: .red, 8: .amber])
        try f.record("D2", school: oak, subject: maths, staff: dan, activity: .workScrutiny, date: "2023-01-16",
                     ratings: [9: .amber, 8: .amber])
        // A withdrawn Red never counts: standard 8 has two Ambers and no Red, so it is not flagged.
        try f.record("D3", school: oak, subject: maths, staff: dan, date: "2023-01-20", withdrawn: true, ratings: [8: .red])
        try f.refresh()
        let result = try CPDNeeds(minimumRatings: 100).run(on: f.connection)
        #expect(result.staff.map { "\($0.staff) \($0.standard) \($0.red)R \($0.amber)A \($0.evidenceIDs)" } == [
            "Ann Archer 5 1R 1A [\"E1\", \"E2\"]", "Dan Dale 9 1R 1A [\"D1\", \"D2\"]",
        ])
        #expect(result.staff.first?.school == "Oakfield Academy")
        // The window: only the spring term leaves Ann with one weak rating on standard 5.
        let spring = try CPDNeeds(filter: Filter(academicYear: AcademicYear(startYear: 2022), term: .spring)).run(on: f.connection)
        #expect(spring.staff.map(\.staff) == ["Dan Dale"])
        // The term containing a day is the same window (what the command uses when given no period).
        let day = try #require(CalendarDate(year: 2023, month: 2, day: 1))
        #expect(try CPDNeeds(filter: Filter(termContaining: day)).run(on: f.connection) == spring)
        // Read from qa.support_evidence_term (SQL/013), its cohort and year-group tables (SQL/027),
        // qa.support_evidence (SQL/012) and the base tables alike: each filter from the narrowest source that can
        // answer it; a cohort or year group beside another field reads qa.support_evidence, which keeps each
        // record's cohorts and year groups (SQL/022).
        let sources: [(Filter, CPDNeeds.StaffSource)] = [
            (Filter(), .terms), (Filter(termContaining: day), .terms),
            (Filter(standard: Standard(rawValue: 9), staff: "dan dale"), .terms),
            (Filter(school: "Oakfield Academy"), .ratings), (Filter(activity: .workScrutiny), .ratings),
            (Filter(cohort: "SEND"), .cohortTerms), (Filter(cohort: "send", termContaining: day), .cohortTerms),
            (Filter(cohort: "unspecified"), .cohortTerms), (Filter(yearGroup: .unspecified), .yearGroupTerms),
            (Filter(school: "Oakfield Academy", cohort: "SEND"), .ratings),
            (Filter(cohort: "SEND", yearGroup: .unspecified), .ratings),
            // Dates: whole terms from a term table and the other days from qa.support_evidence, where the range is
            // split (open, whole default terms, a year or more, or a cohort's); other ranges from qa.support_evidence.
            (Filter(from: CalendarDate(year: 2023, month: 1, day: 10)), .wholeTermsAndRatings),
            (Filter(from: CalendarDate(year: 2022, month: 9, day: 1), to: CalendarDate(year: 2023, month: 3, day: 31)),
             .wholeTermsAndRatings),
            (Filter(cohort: "SEND", from: CalendarDate(year: 2022, month: 11, day: 1), to: CalendarDate(year: 2023, month: 2, day: 1)),
             .wholeTermsAndRatings),
            (Filter(from: CalendarDate(year: 2022, month: 11, day: 1), to: CalendarDate(year: 2023, month: 2, day: 1)), .ratings),
            (Filter(school: "Oakfield Academy", from: CalendarDate(year: 2023, month: 1, day: 10)), .ratings),
        ]
        // A cohort's group levels read the cohort summary once, into the table they share; the rating summary
        // answers each level itself.
        #expect(CPDNeeds(filter: Filter(cohort: "SEND")).statements().count == 7)
        #expect(CPDNeeds().statements().count == 4)
        for (filter, source) in sources {
            #expect(CPDNeeds(filter: filter).staffSource == source, "\(filter)")
            #expect(try CPDNeeds(filter: filter).run(on: f.connection)
                    == CPDNeeds(filter: filter, preference: .baseTables).run(on: f.connection), "\(filter)")
        }
        #expect(CPDNeeds(preference: .baseTables).staffSource == .baseTables)
    }

    /// The evidence ids behind a flag come term by term and, within a term, by school, then date: the order the
    /// per-term table keeps, so that a year's lists are joined without sorting. Every source gives the same.
    @Test func evidenceIDsComeInTermOrderThenBySchoolAndDate() throws {
        let f = try standardFixture()
        let oak = 1, river = 2, maths = 1
        let eve = try f.staff("Eve Eden", school: oak)
        try f.record("Z1", school: oak, subject: maths, staff: eve, date: "2022-10-10", ratings: [3: .red])
        // At the second school in the autumn term: before the first school's spring ids, after its autumn ones.
        try f.record("C1", school: river, subject: maths, staff: eve, date: "2022-11-15", ratings: [3: .amber])
        try f.record("A1", school: oak, subject: maths, staff: eve, date: "2023-01-12", ratings: [3: .amber])
        try f.record("B1", school: river, subject: maths, staff: eve, date: "2023-01-10", ratings: [3: .amber])
        // An id PostgreSQL quotes in an array's text form (a comma, a quote, a backslash, braces, a space).
        let odd = #"A0,"x"\{y} z"#
        try f.record(odd, school: oak, subject: maths, staff: eve, date: "2023-02-20", ratings: [3: .red])
        try f.refresh()
        let year = Filter(academicYear: AcademicYear(startYear: 2022))
        let spring = Filter(academicYear: AcademicYear(startYear: 2022), term: .spring)
        let whole = "3 2R 3A \(["Z1", "C1", "A1", odd, "B1"])"
        // By dates: a whole term's ids from the term table beside a term's ids read rating by rating (its other
        // days), in the same order: up to 20 February, the autumn term whole and spring's three ids one by one;
        // from 10 October, Z1 and C1 one by one, then spring's whole row.
        func day(_ m: Int, _ d: Int, _ y: Int = 2023) -> CalendarDate? { CalendarDate(year: y, month: m, day: d) }
        let dated: [(Filter, String)] = [
            (Filter(to: day(2, 20)), whole), (Filter(to: day(2, 19)), "3 1R 3A \(["Z1", "C1", "A1", "B1"])"),
            (Filter(from: day(10, 10, 2022)), whole), (Filter(from: day(9, 1, 2022), to: day(8, 31)), whole),
            (Filter(from: day(1, 11), to: day(3, 31, 2024)), "3 1R 1A \(["A1", odd])"),
        ]
        for (filter, _) in dated { #expect(CPDNeeds(filter: filter).staffSource == .wholeTermsAndRatings, "\(filter)") }
        for (filter, flag) in [(year, whole), (Filter(), whole), (spring, "3 1R 2A \(["A1", odd, "B1"])")] + dated {
            var narrowed = filter
            narrowed.activity = .lessonVisit  // read from qa.support_evidence instead
            for q in [CPDNeeds(filter: filter), CPDNeeds(filter: narrowed), CPDNeeds(filter: filter, preference: .baseTables)] {
                let eves = try q.run(on: f.connection).staff.filter { $0.staff == "Eve Eden" }
                #expect(eves.map { "\($0.standard) \($0.red)R \($0.amber)A \($0.evidenceIDs)" }
                        == [flag], "\(q.staffSource) \(filter)")
            }
        }
    }

    @Test func subjectsAndSchoolsOverTheThresholdWithTheGapToTheTrust() throws {
        let f = try standardFixture()
        let result = try CPDNeeds(threshold: 40, minimumRatings: 2).run(on: f.connection)
        #expect(result.schools == [
            GroupNeedText("Oakfield Academy", nil, 5, 3, 2, 66.7, 60, 6.7),
            GroupNeedText("Riverside School", nil, 5, 2, 1, 50, 60, -10),
        ].map(\.value))
        #expect(result.subjects == [
            GroupNeedText("Oakfield Academy", "Maths", 5, 2, 2, 100, 60, 40),
            GroupNeedText("Riverside School", "Maths", 5, 2, 1, 50, 60, -10),
        ].map(\.value))
        // The default minimum of 10 ratings leaves nothing to judge in this small trust.
        let strict = try CPDNeeds().run(on: f.connection)
        #expect(strict.schools.isEmpty && strict.subjects.isEmpty)
        let higher = try CPDNeeds(threshold: 60, minimumRatings: 2).run(on: f.connection)
        #expect(higher.schools.map(\.school) == ["Oakfield Academy"])
        // Narrowed to one school, the comparison is still with the whole trust.
        let oakfield = try CPDNeeds(filter: Filter(school: "Oakfield Academy"), threshold: 40, minimumRatings: 2).run(on: f.connection)
        #expect(oakfield.schools == [GroupNeedText("Oakfield Academy", nil, 5, 3, 2, 66.7, 60, 6.7).value])
        #expect(oakfield.trust.count == 5)
        // By dates (every rating joined to its record), the trust's shares are the subject level's counts added up.
        let byDates = try CPDNeeds(filter: Filter(from: CalendarDate(year: 2000, month: 1, day: 1)), threshold: 40, minimumRatings: 2)
            .run(on: f.connection)
        #expect(byDates.schools == result.schools && byDates.subjects == result.subjects && byDates.trust == result.trust)
        // 3 January to 1 April: February and March from the month summary, E2 (3 January) and E4 (1 April) from
        // the base tables; the same as from the base tables alone.
        let ends = Filter(from: CalendarDate(year: 2023, month: 1, day: 3), to: CalendarDate(year: 2023, month: 4, day: 1))
        let fromMonths = try CPDNeeds(filter: ends, threshold: 40, minimumRatings: 1).run(on: f.connection)
        #expect(fromMonths.trust.map { "\($0.rank):\($0.standard) \($0.amberRed)/\($0.n) \($0.amberRedPct)" } == [
            "1:6 1/1 100.0", "2:5 2/3 66.7", "3:1 1/2 50.0", "4:7 0/1 0.0",
        ])
        #expect(fromMonths.subjects.map { "\($0.school) \($0.subject ?? "-") \($0.standard) \($0.amberRed)/\($0.n)" } == [
            "Riverside School Maths 1 1/1", "Oakfield Academy Maths 5 1/1", "Riverside School Maths 5 1/1", "Oakfield Academy Maths 6 1/1",
        ])  // by the gap to the trust: 50, 33.3, 33.3 and 0 points
        #expect(try fromMonths == CPDNeeds(filter: ends, threshold: 40, minimumRatings: 1, preference: .baseTables).run(on: f.connection))
        // Outside a transaction the staff level ran on a second connection beside the others, in a transaction
        // of its own that is over; inside a transaction every level runs on the caller's connection.
        #expect(!f.connection.inTransaction)
        // In a read-only transaction (the export's), where no temporary table can be made, each level reads the
        // counts itself: the same answer, and the transaction still usable.
        #expect(CPDNeeds(filter: ends).statements().contains { $0.description.contains("CREATE TEMP TABLE") })
        try f.connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        let readOnly = try CPDNeeds(filter: ends, threshold: 40, minimumRatings: 1).run(on: f.connection)
        #expect(try f.connection.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
        try f.connection.execute("COMMIT")
        #expect(readOnly == fromMonths)
    }

    @Test func trustPrioritiesRankStandardsByAmberRedShare() throws {
        let f = try standardFixture()
        let trust = try CPDNeeds().run(on: f.connection).trust
        #expect(trust.map { "\($0.rank):\($0.standard) \($0.amberRed)/\($0.n) \($0.amberRedPct)" } == [
            "1:6 1/1 100.0", "2:5 3/5 60.0", "3:1 1/3 33.3", "4:2 0/1 0.0", "4:7 0/1 0.0",
        ])
        var base = CPDNeeds()
        base.preference = .baseTables
        #expect(try base.run(on: f.connection) == CPDNeeds().run(on: f.connection))
    }

    @Test func theTableHasOneRowPerFlagWithItsLevel() throws {
        let f = try standardFixture()
        let q = CPDNeeds(threshold: 40, minimumRatings: 2)
        let table = q.table(try q.run(on: f.connection))
        #expect(table.rows.map { $0[0].description } == ["staff", "subject", "subject", "school", "school", "trust", "trust", "trust", "trust", "trust"])
        #expect(table.records[0]["action"] == .text("support candidate: informal support programme (six-week cycle)"))
        #expect(table.records[0]["evidence_ids"] == .list(["E1", "E2"]))
    }
}

/// A `GroupNeed` written positionally, to keep expectations on one line.
struct GroupNeedText {
    let value: GroupNeed
    init(_ school: String, _ subject: String?, _ standard: Int, _ n: Int, _ ar: Int, _ pct: Double, _ trust: Double, _ gap: Double) {
        value = GroupNeed(school: school, subject: subject, standard: standard, n: n, amberRed: ar, amberRedPct: pct,
                          trustAmberRedPct: trust, gapPct: gap)
    }
}
