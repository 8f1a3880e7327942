import Postgres
import QACore
import QAQuery
import Testing

@Suite struct TriangulationTests {
    /// Deep dive DD1 (summer 2023, four records), Riverside's maths outside deep dives (autumn 2022 and spring
    /// 2023), and a withdrawn record that must not count.
    func fixture() throws -> Fixture {
        let f = try Fixture()
        let oak = try f.school("Oakfield Academy"), river = try f.school("Riverside School")
        let maths = try f.subject("Maths")
        let ann = try f.staff("Ann Archer", school: oak), cara = try f.staff("Cara Cole", school: river)
        try f.record("T1", school: oak, subject: maths, staff: ann, date: "2023-05-02", deepDive: "DD1", ratings: [5: .red, 6: .green])
        try f.record("T2", school: oak, subject: maths, staff: nil, activity: .workScrutiny, date: "2023-05-03", deepDive: "DD1",
                     ratings: [5: .green, 6: .gold, 7: .amber])
        try f.record("T3", school: oak, subject: maths, staff: nil, activity: .pupilDiscussion, date: "2023-05-03", deepDive: "DD1",
                     ratings: [5: .amber, 6: .green, 7: .green])
        try f.record("T4", school: oak, subject: maths, staff: ann, date: "2023-05-03", deepDive: "DD1", ratings: [6: .amber])
        try f.record("N1", school: river, subject: maths, staff: cara, date: "2022-11-01", ratings: [1: .green])
        try f.record("N2", school: river, subject: maths, staff: nil, activity: .workScrutiny, date: "2022-11-02",
                     ratings: [1: .gold, 2: .red])
        // Another term is another group: a single activity there cannot be triangulated.
        try f.record("N3", school: river, subject: maths, staff: cara, date: "2023-01-10", ratings: [1: .red])
        try f.record("N4", school: river, subject: maths, staff: nil, activity: .workScrutiny, date: "2022-11-03",
                     withdrawn: true, ratings: [1: .red])
        try f.refresh()
        return f
    }

    @Test func ratingsSideBySideWithAgreeMixedOrConflict() throws {
        let f = try fixture()
        let expected = [
            TriangulationRow(deepDive: "DD1", school: "Oakfield Academy", subject: "Maths", academicYear: "2022/23", term: "summer",
                             standard: 5, ratings: ["lesson_visit": "Red", "work_scrutiny": "Green", "pupil_discussion": "Amber"],
                             verdict: "conflict"),
            TriangulationRow(deepDive: "DD1", school: "Oakfield Academy", subject: "Maths", academicYear: "2022/23", term: "summer",
                             standard: 6, ratings: ["lesson_visit": "Amber-Green", "work_scrutiny": "Gold", "pupil_discussion": "Green"],
                             verdict: "mixed"),
            TriangulationRow(deepDive: "DD1", school: "Oakfield Academy", subject: "Maths", academicYear: "2022/23", term: "summer",
                             standard: 7, ratings: ["work_scrutiny": "Amber", "pupil_discussion": "Green"], verdict: "agree"),
            TriangulationRow(deepDive: nil, school: "Riverside School", subject: "Maths", academicYear: "2022/23", term: "autumn",
                             standard: 1, ratings: ["lesson_visit": "Green", "work_scrutiny": "Gold"], verdict: "agree"),
        ]
        for preference in [CountSource.Preference.automatic, .baseTables] {
            #expect(try Triangulation(preference: preference).run(on: f.connection) == expected, "\(preference)")
        }
        let table = Triangulation().table(expected)
        #expect(table.columns.map(\.name) == [
            "deep_dive_id", "school", "subject", "academic_year", "term", "standard", "lesson_visit", "work_scrutiny",
            "pupil_discussion", "verdict",
        ])
        #expect(try Triangulation(filter: Filter(school: "riverside school")).run(on: f.connection).count == 1)
    }

    /// A deep dive's summary form (activity deep_dive) rates standards too: its column, `deep_dive`, and the deep
    /// dive's id, `deep_dive_id`, are two columns, and each JSON row has both keys once with its own value.
    @Test func theDeepDiveActivityAndTheDeepDiveIDAreTwoColumns() throws {
        let f = try Fixture()
        let oak = try f.school("Oakfield Academy"), maths = try f.subject("Maths")
        try f.record("D1", school: oak, subject: maths, staff: nil, date: "2023-05-02", deepDive: "DD7", ratings: [5: .green])
        try f.record("D2", school: oak, subject: maths, staff: nil, activity: .deepDive, date: "2023-05-04", deepDive: "DD7",
                     ratings: [5: .amber])
        try f.refresh()
        for preference in [CountSource.Preference.automatic, .baseTables] {
            let table = try Triangulation(preference: preference).table(on: f.connection)
            #expect(table.columns.map(\.name) == [
                "deep_dive_id", "school", "subject", "academic_year", "term", "standard", "lesson_visit", "deep_dive",
                "verdict",
            ], "\(preference)")
            #expect(OutputFormat.json.render(table) == """
                [
                  {"deep_dive_id": "DD7", "school": "Oakfield Academy", "subject": "Maths", "academic_year": "2022/23", \
                "term": "summer", "standard": 5, "lesson_visit": "Green", "deep_dive": "Amber", "verdict": "agree"}
                ]

                """, "\(preference)")
        }
    }

    /// A deep dive across two terms is one group over the year, and only its term's records within a term;
    /// the summary (SQL/010) and the base tables agree on every filter it carries and on those it does not.
    @Test func theTriangulationSummaryAgreesWithTheBaseTables() throws {
        let f = try fixture()
        let oak = try f.connection.query("SELECT school_id FROM qa.school WHERE name_key = 'oakfield academy'").single()
            .decode("school_id", as: Int.self)
        let art = try f.subject("Art")
        try f.record("S1", school: oak, subject: art, staff: nil, date: "2023-03-29", yearGroups: [7], cohorts: ["SEND"],
                     deepDive: "DD2", ratings: [2: .green, 3: .red])
        try f.record("S2", school: oak, subject: art, staff: nil, activity: .workScrutiny, date: "2023-03-30", deepDive: "DD2",
                     ratings: [2: .gold, 3: .green])
        try f.record("S3", school: oak, subject: art, staff: nil, activity: .pupilDiscussion, date: "2023-04-20", deepDive: "DD2",
                     ratings: [2: .amber, 3: .gold])
        try f.record("S4", school: oak, subject: nil, staff: nil, date: "2023-04-21", ratings: [4: .amber])
        try f.record("S5", school: oak, subject: nil, staff: nil, activity: .peerReview, date: "2023-04-24", ratings: [4: .red])
        let maths = try f.connection.query("SELECT subject_id FROM qa.subject WHERE name_key = 'maths'").single()
            .decode("subject_id", as: Int.self)
        try f.record("S6", school: oak, subject: maths, staff: nil, date: "2023-06-01", ratings: [9: .green])
        try f.record("S7", school: oak, subject: maths, staff: nil, activity: .workScrutiny, date: "2023-06-02", ratings: [9: .amber])
        try f.refresh()
        // Within a school and subject, term by term: the records outside deep dives, then the term's deep dives.
        let oakMaths = try Triangulation(filter: Filter(school: "Oakfield Academy", subject: "maths")).run(on: f.connection)
        #expect(oakMaths.map { "\($0.term) \($0.deepDive ?? "-") \($0.standard)" }
                == ["summer - 9", "summer DD1 5", "summer DD1 6", "summer DD1 7"])
        let spring = try Triangulation(filter: Filter(term: .spring)).run(on: f.connection)
        #expect(spring.map { "\($0.deepDive ?? "-") \($0.academicYear) \($0.term) \($0.standard)" }
                == ["DD2 2022/23 spring 2", "DD2 2022/23 spring 3"])
        #expect(spring.map(\.ratings) == [["lesson_visit": "Green", "work_scrutiny": "Gold"], ["lesson_visit": "Red", "work_scrutiny": "Green"]])
        #expect(spring.map(\.verdict) == ["agree", "conflict"])
        #expect(spring.map { $0.ratings["pupil_discussion"] } == [nil, nil])
        let year = try Triangulation(filter: Filter(subject: "art")).run(on: f.connection)
        #expect(year.map(\.term) == ["spring", "spring"])
        #expect(year.map { $0.ratings["pupil_discussion"] } == ["Amber", "Gold"])
        #expect(year.map(\.verdict) == ["mixed", "conflict"])
        let unspecified = try Triangulation(filter: Filter(standard: .equalityAndDiversity)).run(on: f.connection)
        #expect(unspecified == [TriangulationRow(
            deepDive: nil, school: "Oakfield Academy", subject: "unspecified", academicYear: "2022/23", term: "summer",
            standard: 4, ratings: ["lesson_visit": "Amber", "peer_review": "Red"], verdict: "agree")])

        let filters = [
            Filter(), Filter(school: "oakfield academy"), Filter(subject: "Art"), Filter(standard: .ambitiousCurriculum),
            Filter(academicYear: AcademicYear(startYear: 2022)), Filter(subject: "art", academicYear: AcademicYear(startYear: 2022)),
            Filter(school: "Oakfield Academy", academicYear: AcademicYear(startYear: 2022)), Filter(term: .spring), Filter(term: .summer),
            Filter(academicYear: AcademicYear(startYear: 2022), term: .summer), Filter(activity: .lessonVisit),
            Filter(school: "Oakfield Academy", academicYear: AcademicYear(startYear: 2022), term: .spring),
            Filter(cohort: "SEND"), Filter(yearGroup: .unspecified), Filter(staff: "Ann Archer"),
            Filter(from: CalendarDate(year: 2023, month: 3, day: 30)),
            // Dates cutting DD2 (29 March to 20 April): from the month table with end days, and with no whole month.
            Filter(from: CalendarDate(year: 2023, month: 3, day: 30), to: CalendarDate(year: 2023, month: 5, day: 31)),
            Filter(subject: "art", from: CalendarDate(year: 2023, month: 3, day: 1), to: CalendarDate(year: 2023, month: 4, day: 20)),
            Filter(from: CalendarDate(year: 2023, month: 3, day: 30), to: CalendarDate(year: 2023, month: 4, day: 20)),
        ]
        var summaryUsed = 0, yearUsed = 0
        for filter in filters {
            let summary = Triangulation(filter: filter)
            if summary.usesSummary { summaryUsed += 1 }
            if summary.source == .year { yearUsed += 1 }
            #expect(try summary.run(on: f.connection) == Triangulation(filter: filter, preference: .baseTables).run(on: f.connection),
                    "\(filter)")
        }
        // Twelve from the triangulation summary or the year table, two from the cohort and year-group tables
        // (SQL/025), three from the month table (SQL/017).
        #expect(summaryUsed == 17 && yearUsed == 3)
    }

    /// The command's table, read straight from the query's result, is the table of `run(on:)`'s rows: for every
    /// source and filter, including answers with no rows and with only some activities.
    @Test func theTableReadFromTheResultIsTheTableOfTheRows() throws {
        let f = try fixture()
        let zoe = try f.school("Zoë's Academy, Upper Site")
        let art = try f.subject("Art")
        try f.record("Z1", school: zoe, subject: art, staff: nil, date: "2023-03-29", deepDive: "DD9", ratings: [2: .green, 3: .red])
        try f.record("Z2", school: zoe, subject: art, staff: nil, activity: .workScrutiny, date: "2023-03-30", deepDive: "DD9",
                     ratings: [2: .gold, 3: .green, 4: .amber])
        try f.record("Z3", school: zoe, subject: nil, staff: nil, date: "2023-04-21", ratings: [4: .amber])
        try f.record("Z4", school: zoe, subject: nil, staff: nil, activity: .peerReview, date: "2023-04-24", ratings: [4: .red])
        try f.refresh()
        let filters = [
            Filter(), Filter(school: "oakfield academy"), Filter(subject: "Art"), Filter(standard: .ambitiousCurriculum),
            Filter(academicYear: AcademicYear(startYear: 2022)), Filter(term: .spring), Filter(term: .summer),
            Filter(academicYear: AcademicYear(startYear: 2022), term: .summer), Filter(activity: .lessonVisit),
            Filter(school: "Riverside School", term: .summer), Filter(staff: "Ann Archer"),
            Filter(termContaining: CalendarDate(year: 2023, month: 4, day: 24)),
        ]
        for filter in filters {
            for preference in [CountSource.Preference.automatic, .baseTables] {
                let q = Triangulation(filter: filter, preference: preference)
                #expect(try q.table(on: f.connection) == q.table(q.run(on: f.connection)), "\(filter) \(preference)")
            }
        }
        let all = try Triangulation().table(on: f.connection)
        #expect(all.columns.map(\.name).contains("peer_review"))
        #expect(all.rows.count == 7)
    }

    /// The query reads the summary when the filter allows: records changed behind its back show which source answered.
    @Test func theSummaryAnswersWhenTheFilterAllows() throws {
        let f = try fixture()
        try f.connection.execute("UPDATE qa.evidence SET withdrawn_at = now()")
        #expect(try Triangulation().run(on: f.connection).count == 4)
        #expect(try Triangulation(preference: .baseTables).run(on: f.connection).isEmpty)
        #expect(try Triangulation(filter: Filter(staff: "Ann Archer")).run(on: f.connection).isEmpty)
        // A whole academic year, of a school too, is read from the year's rows (SQL/014).
        let year = Filter(academicYear: AcademicYear(startYear: 2022))
        let oakYear = Filter(school: "Oakfield Academy", academicYear: AcademicYear(startYear: 2022))
        #expect(Triangulation(filter: year).source == .year && Triangulation(filter: oakYear).source == .year)
        #expect(try Triangulation(filter: year).run(on: f.connection).count == 4)
        #expect(try Triangulation(filter: oakYear).run(on: f.connection).map(\.standard) == [5, 6, 7])
        try f.refresh()
        #expect(try Triangulation().run(on: f.connection).isEmpty)
        #expect(try Triangulation(filter: year).run(on: f.connection).isEmpty)
    }

    /// Dates (SQL/017): whole months from the month table, the days at the range's ends from the base tables. The
    /// fixture's records sit on 1-3 November, 10 January and 2-3 May, so ranges cut groups on either side.
    @Test func datesAreAnsweredFromWholeMonthsAndEndDaysAsFromTheBaseTables() throws {
        let f = try fixture()
        func day(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate? { CalendarDate(year: y, month: m, day: d) }
        let ranges: [(CalendarDate?, CalendarDate?)] = [
            (day(2022, 11, 1), day(2023, 5, 31)), (day(2022, 11, 2), day(2023, 5, 2)), (day(2022, 10, 1), day(2023, 4, 30)),
            (day(2022, 11, 2), nil), (nil, day(2023, 5, 2)), (day(2023, 5, 3), day(2023, 5, 3)),
            (day(2022, 10, 15), day(2022, 12, 31)), (day(2023, 4, 20), day(2023, 6, 30)),
        ]
        let others = [Filter(), Filter(school: "Oakfield Academy"), Filter(standard: Standard(rawValue: 6)),
                      Filter(activity: .workScrutiny), Filter(academicYear: AcademicYear(startYear: 2022), term: .summer)]
        var monthsUsed = 0
        for (from, to) in ranges {
            for other in others {
                var filter = other
                filter.from = from
                filter.to = to
                let auto = Triangulation(filter: filter)
                if case .months = auto.source { monthsUsed += 1 }
                #expect(try auto.run(on: f.connection)
                        == Triangulation(filter: filter, preference: .baseTables).run(on: f.connection), "\(filter)")
                #expect(try auto.table(on: f.connection)
                        == Triangulation(filter: filter, preference: .baseTables).table(on: f.connection), "\(filter)")
            }
        }
        #expect(monthsUsed == 7 * 5)  // every range but 3 May alone holds a whole month
        // 2 November to 2 May: November and May are cut. N1 (1 November) is left out, so Riverside's autumn has one
        // activity; T2, T3 and T4 (3 May) are left out, so DD1 has only T1's lesson visit. Nothing triangulates.
        let cut = Filter(from: day(2022, 11, 2), to: day(2023, 5, 2))
        #expect(Triangulation(filter: cut).source == .months(MonthRange(from: cut.from, to: cut.to)!))
        #expect(try Triangulation(filter: cut).run(on: f.connection).isEmpty)
        // 1 November to 3 May: N1, N2 and DD1's T1 to T4, the same four rows as the whole history.
        let whole = try Triangulation(filter: Filter(from: day(2022, 11, 1), to: day(2023, 5, 3))).run(on: f.connection)
        #expect(whole == (try Triangulation().run(on: f.connection)))
        #expect(whole.map { "\($0.deepDive ?? "-") \($0.standard) \($0.verdict)" }
                == ["DD1 5 conflict", "DD1 6 mixed", "DD1 7 agree", "- 1 agree"])
        // The month table answers without the base tables (records withdrawn behind its back still count).
        try f.connection.execute("UPDATE qa.evidence SET withdrawn_at = now()")
        #expect(try Triangulation(filter: Filter(from: day(2022, 11, 1), to: day(2023, 5, 31))).run(on: f.connection).count == 4)
    }

    /// A deep dive across two terms is labelled with its first term on every standard, also on one first compared in
    /// the later term; a standard filter leaves only that standard's rows to decide the term. Every source alike.
    @Test func aDeepDiveIsLabelledWithItsFirstTermOnEveryStandard() throws {
        let f = try fixture()
        let oak = try f.connection.query("SELECT school_id FROM qa.school WHERE name_key = 'oakfield academy'").single()
            .decode("school_id", as: Int.self)
        let maths = try f.connection.query("SELECT subject_id FROM qa.subject WHERE name_key = 'maths'").single()
            .decode("subject_id", as: Int.self)
        try f.record("D1", school: oak, subject: maths, staff: nil, date: "2023-03-20", deepDive: "DD3", ratings: [8: .green])
        try f.record("D2", school: oak, subject: maths, staff: nil, activity: .workScrutiny, date: "2023-03-21", deepDive: "DD3",
                     ratings: [8: .green])
        try f.record("D3", school: oak, subject: maths, staff: nil, date: "2023-04-20", deepDive: "DD3", ratings: [9: .amber])
        try f.record("D4", school: oak, subject: maths, staff: nil, activity: .pupilDiscussion, date: "2023-04-21", deepDive: "DD3",
                     ratings: [9: .green])
        try f.refresh()
        func dd3(_ filter: Filter, _ preference: CountSource.Preference) throws -> [String] {
            try Triangulation(filter: filter, preference: preference).run(on: f.connection)
                .filter { $0.deepDive == "DD3" }.map { "\($0.term) \($0.standard)" }
        }
        let year = AcademicYear(startYear: 2022)
        let cases: [(Filter, [String])] = [
            (Filter(), ["spring 8", "spring 9"]), (Filter(academicYear: year), ["spring 8", "spring 9"]),
            (Filter(from: CalendarDate(year: 2023, month: 3, day: 1), to: CalendarDate(year: 2023, month: 4, day: 30)),
             ["spring 8", "spring 9"]),
            (Filter(standard: Standard(rawValue: 9)), ["summer 9"]), (Filter(term: .summer), ["summer 9"]),
        ]
        for (filter, expected) in cases {
            for preference in [CountSource.Preference.automatic, .baseTables] {
                #expect(try dd3(filter, preference) == expected, "\(filter) \(preference)")
            }
        }
    }

    /// The summary counts each rating of every activity the tool knows, in `Activity`'s order, and no other.
    @Test func theSummaryHasACountForEveryActivityAndRating() throws {
        let f = try Fixture()
        let columns = try f.connection.query("""
            SELECT column_name::text AS name FROM information_schema.columns
             WHERE table_schema = 'qa' AND table_name = 'triangulation_summary' AND ordinal_position > 6
             ORDER BY ordinal_position
            """).map { try $0.decode("name", as: String.self) }
        let tints = ["red", "amber", "green", "gold"]
        #expect(columns == Activity.allCases.flatMap { a in tints.map { "\(a.code)_\($0)" } } + ["ratings"])
        // The year's rows (SQL/014) name each activity's lowest and highest rating in the same order.
        let yearColumns = try f.connection.query("""
            SELECT column_name::text AS name FROM information_schema.columns
             WHERE table_schema = 'qa' AND table_name = 'triangulation_year' AND ordinal_position > 7
             ORDER BY ordinal_position
            """).map { try $0.decode("name", as: String.self) }
        #expect(yearColumns == Activity.allCases.flatMap { ["\($0.code)_low", "\($0.code)_high"] } + ["verdict", "ratings"])
        // The bits each row keeps (SQL/036): one activity's one rating given is bit 4 x its place + score - 1, in
        // the summary, its months and the year's rows (where the lowest and highest rating is the same one).
        let counts = columns.dropLast()
        for (i, activity) in Activity.allCases.enumerated() {
            for rating in Rating.allCases {
                let column = "\(activity.code)_\(rating.databaseLabel)"
                let values = counts.map { $0 == column ? "1" : "0" }.joined(separator: ", ")
                let bit = 1 << (4 * i + rating.score - 1)
                try f.connection.execute("DELETE FROM qa.triangulation_summary")
                try f.connection.execute(SQL(verbatim: """
                    INSERT INTO qa.triangulation_summary (school_id, subject_id, deep_dive_id, academic_year, term,
                        standard, \(counts.joined(separator: ", "))) VALUES (1, NULL, NULL, 2024, 'autumn', 1, \(values))
                    """))
                try f.connection.execute("DELETE FROM qa.triangulation_month")
                try f.connection.execute(SQL(verbatim: """
                    INSERT INTO qa.triangulation_month (school_id, subject_id, deep_dive_id, academic_year, term,
                        standard, month, \(counts.joined(separator: ", ")))
                    VALUES (1, NULL, NULL, 2024, 'autumn', 1, '2024-10-01', \(values))
                    """))
                try f.connection.execute("DELETE FROM qa.triangulation_year")
                try f.connection.execute(SQL(verbatim: """
                    INSERT INTO qa.triangulation_year (academic_year, school_id, standard, first_term, verdict,
                        \(activity.code)_low, \(activity.code)_high) VALUES (2024, 1, 1, 20241, 'agree', \(rating.score), \(rating.score))
                    """))
                for table in ["triangulation_summary", "triangulation_month", "triangulation_year"] {
                    let kept = try f.connection.query(SQL(verbatim: "SELECT ratings FROM qa.\(table)")).single()
                        .decode("ratings", as: Int.self)
                    #expect(kept == bit, "\(table) \(activity) \(rating)")
                }
            }
        }
        for (i, activity) in Activity.allCases.enumerated() {
            for rating in Rating.allCases {
                let k = try f.connection.query(
                    "SELECT qa.triangulation_column(\(activity.code), \(rating.databaseLabel)::qa.ragg) AS k"
                ).single().decode("k", as: Int.self)
                #expect(k == 4 * i + rating.score - 1, "\(activity) \(rating)")
            }
        }
        let allowed = try f.connection.query("""
            SELECT pg_get_constraintdef(oid) AS c FROM pg_constraint
             WHERE conrelid = 'qa.evidence'::regclass AND pg_get_constraintdef(oid) LIKE '%lesson_visit%'
            """).single().decode("c", as: String.self)
        for activity in Activity.allCases { #expect(allowed.contains("'\(activity.code)'")) }
    }
}
