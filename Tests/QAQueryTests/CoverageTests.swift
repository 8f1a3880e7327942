import Postgres
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

    /// Every gap, under every combination of the filters coverage takes and several years and terms, equal to the
    /// same gaps worked out from the records themselves: coverage reads summaries and indexes (SQL/024) and looks
    /// each gap up, so this is what says the lookups ask the same question. The extra records make each filter
    /// matter: a record with no subject, one that rates nothing (no coverage), a withdrawn deep dive, and staff
    /// with and without lesson visits in a term.
    @Test func everyFilterGivesTheGapsTheRecordsShow() throws {
        let f = try standardFixture()
        let oak = try f.school("Brookside Primary")
        let art = try f.subject("Art")
        let dan = try f.staff("Dan Dale", school: oak)
        let eve = try f.staff("Eve East", school: oak)
        try f.record("X1", school: oak, subject: art, staff: dan, date: "2022-11-07", ratings: [2: .green, 3: .amber])
        try f.record("X2", school: oak, subject: nil, staff: eve, date: "2023-01-09", ratings: [4: .red])
        try f.record("X3", school: oak, subject: art, staff: eve, date: "2023-01-10", ratings: [:])
        try f.record("X4", school: oak, subject: art, staff: dan, activity: .deepDive, date: "2022-12-01",
                     withdrawn: true, ratings: [1: .green])
        try f.record("X5", school: oak, subject: art, staff: dan, activity: .deepDive, date: "2023-12-01", ratings: [3: .gold])
        try f.record("X6", school: oak, subject: art, staff: eve, activity: .workScrutiny, date: "2023-02-01", ratings: [9: .green])
        try f.refresh()

        let schools: [String?] = [nil, "riverside school", "BROOKSIDE PRIMARY"]
        let subjects: [String?] = [nil, "maths", "Art"]
        let staff: [String?] = [nil, "eve east", "T001"]
        let periods: [(AcademicYear, Term)] = [
            (AcademicYear(startYear: 2022), .autumn), (AcademicYear(startYear: 2022), .spring),
            (AcademicYear(startYear: 2023), .autumn), (AcademicYear(startYear: 2021), .summer),
        ]
        var gapsSeen: Set<String> = []
        for school in schools {
            for subject in subjects {
                for member in staff {
                    for (year, term) in periods {
                        let filter = Filter(school: school, subject: subject, staff: member, academicYear: year, term: term)
                        let found = lines(try Coverage(filter: filter, today: spring2023).run(on: f.connection))
                        let expected = try gapsFromTheRecords(
                            f, school: school, subject: subject, staff: member, year: year.startYear, term: term.rawValue)
                        #expect(found.sorted() == expected, "\(filter)")
                        gapsSeen.formUnion(found.map { String($0.prefix { $0 != "|" }) })
                    }
                }
            }
        }
        // Each kind of gap was found under some filter, so none of the comparisons was of empty answers only.
        #expect(gapsSeen == ["no_deep_dive", "no_lesson_visit", "standard_never_evidenced"])
        // Spot checks of the reference itself: Art at Brookside has no deep dive in 2022/23 (X4 was withdrawn); Dan's
        // only lesson visit was in the autumn; Eve's lesson visit X2 names no subject but counts in the spring.
        let spring = lines(try Coverage(
            filter: Filter(school: "Brookside Primary", academicYear: AcademicYear(startYear: 2022), term: .spring),
            today: spring2023).run(on: f.connection))
        #expect(spring.filter { !$0.hasPrefix("standard_never_evidenced") } == [
            "no_deep_dive|Brookside Primary|Art|-|-|2022/23|-",
            "no_lesson_visit|Brookside Primary|-|Dan Dale|-|2022/23|spring",
        ])
    }

    /// The gaps worked out from the records and their ratings directly, as `lines` writes them, sorted.
    func gapsFromTheRecords(
        _ f: Fixture, school: String?, subject: String?, staff: String?, year: Int, term: String
    ) throws -> [String] {
        try f.connection.query(
            """
            WITH rated AS (
                SELECT e.* FROM qa.evidence e
                 WHERE e.withdrawn_at IS NULL AND EXISTS (SELECT 1 FROM qa.rating r WHERE r.evidence_pk = e.evidence_pk)
                   AND (\(school)::text IS NULL OR e.school_id = (SELECT school_id FROM qa.school WHERE lower(name) = lower(\(school))))
                   AND (\(subject)::text IS NULL OR e.subject_id = (SELECT subject_id FROM qa.subject WHERE lower(name) = lower(\(subject))))),
            label AS (SELECT qa.academic_year_label(\(year)::smallint) AS year)
            SELECT 'no_deep_dive|' || sc.name || '|' || su.name || '|-|-|' || label.year || '|-' AS line
              FROM (SELECT DISTINCT school_id, subject_id FROM rated WHERE subject_id IS NOT NULL AND academic_year <= \(year)
                    EXCEPT
                    SELECT school_id, subject_id FROM rated WHERE activity = 'deep_dive' AND academic_year = \(year)) g
              JOIN qa.school sc USING (school_id) JOIN qa.subject su USING (subject_id), label
            UNION ALL
            SELECT 'no_lesson_visit|' || sc.name || '|-|' || st.name || '|-|' || label.year || '|' || \(term)
              FROM (SELECT staff_id FROM rated r
                     WHERE r.academic_year = \(year) AND r.staff_id IS NOT NULL
                       AND (\(staff)::text IS NULL OR r.staff_id IN (
                            SELECT staff_id FROM qa.staff WHERE lower(name) = lower(\(staff)) OR lower(external_id) = lower(\(staff))))
                    EXCEPT
                    SELECT staff_id FROM rated WHERE activity = 'lesson_visit' AND academic_year = \(year) AND term = \(term)) g
              JOIN qa.staff st USING (staff_id) JOIN qa.school sc ON sc.school_id = st.school_id, label
            UNION ALL
            SELECT 'standard_never_evidenced|-|' || su.name || '|-|' || sd.number || '|' || label.year || '|-'
              FROM (SELECT DISTINCT subject_id FROM rated WHERE subject_id IS NOT NULL) s
              JOIN qa.subject su USING (subject_id) CROSS JOIN qa.standard sd, label
             WHERE NOT EXISTS (SELECT 1 FROM rated r JOIN qa.rating g ON g.evidence_pk = r.evidence_pk
                                WHERE r.subject_id = s.subject_id AND g.standard = sd.number)
            """
        ).rows.map { try $0.decode("line") as String }.sorted()
    }

    /// Coverage is fast at millions of records only if each gap is looked up by an index (SQL/024 and the
    /// summaries' keys) rather than found by reading whole summaries. Among 20,000 more summary rows of later years
    /// (other staff members, schools and a subject rated on every standard), the plan must read the lesson visits'
    /// index and the subject-and-standard index and scan neither summary whole, and the answer for 2022/23 must not
    /// change.
    @Test func eachGapIsLookedUpByAnIndex() throws {
        let f = try standardFixture()
        let coverage = Coverage(today: spring2023)
        let before = lines(try coverage.run(on: f.connection))
        try f.subject("Noise")
        try f.connection.execute("""
            INSERT INTO qa.school (name, name_key) SELECT 'School ' || g, 'school ' || g FROM generate_series(1, 200) AS g
            """)
        try f.connection.execute("""
            INSERT INTO qa.staff (staff_key, name, school_id)
            SELECT 'name:extra ' || g, 'Extra ' || g, (SELECT min(school_id) FROM qa.school) FROM generate_series(1, 2000) AS g
            """)
        try f.connection.execute("""
            INSERT INTO qa.rating_staff_summary (school_id, subject_id, activity, academic_year, term, standard, staff_id,
                n_red, n_amber, n_green, n_gold)
            SELECT s.school_id, (SELECT min(subject_id) FROM qa.subject), a, 2024 + g % 3, 'autumn', 1 + g % 12,
                   t.staff_id, 0, 0, 1, 0
              FROM qa.staff t CROSS JOIN generate_series(1, 5) AS g CROSS JOIN unnest(ARRAY['lesson_visit', 'work_scrutiny']) AS a
              JOIN qa.school s ON s.name = 'School ' || (1 + t.staff_id % 200)
             WHERE t.name LIKE 'Extra %'
            """)
        try f.connection.execute("""
            INSERT INTO qa.rating_summary (school_id, subject_id, activity, academic_year, term, standard,
                n_red, n_amber, n_green, n_gold)
            SELECT s.school_id, su.subject_id, a, y, 'autumn', sd.number, 0, 0, 1, 0
              FROM qa.school s, qa.subject su, generate_series(2024, 2028) AS y, qa.standard sd,
                   unnest(ARRAY['lesson_visit', 'deep_dive']) AS a
             WHERE s.name LIKE 'School %' AND su.name = 'Noise'
            """)
        try f.connection.execute("ANALYZE qa.rating_staff_summary")
        try f.connection.execute("ANALYZE qa.rating_summary")
        #expect(try f.count("qa.rating_staff_summary") > 20_000)
        #expect(try f.count("qa.rating_summary") > 20_000)
        let plan = try f.connection.query("EXPLAIN " + coverage.sql).map { try $0.decode("QUERY PLAN", as: String.self) }
        for index in ["rating_staff_summary_lesson_visits", "rating_summary_subject"] {
            #expect(plan.contains { $0.contains("using \(index) on ") || $0.hasSuffix(" on \(index)") },
                    "\(index)\n\(plan.joined(separator: "\n"))")
        }
        for table in ["rating_staff_summary", "rating_summary"] {
            #expect(!plan.contains { $0.contains("Seq Scan on \(table) ") }, "\(table)\n\(plan.joined(separator: "\n"))")
        }
        #expect(lines(try coverage.run(on: f.connection)) == before)
    }
}
