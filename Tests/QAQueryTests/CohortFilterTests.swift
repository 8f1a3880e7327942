import Postgres
import QACore
import QAQuery
import Testing

/// The cohort filter over the base tables tests `qa.cohort_keys(cohorts)` (SQL/020), the record's cohorts in lower
/// case, so that PostgreSQL can find a cohort's records by index: it must match exactly what comparing each name
/// in lower case matched, in every query that reads the records.
@Suite struct CohortFilterTests {
    /// One school, subject and staff member, one term. C1 and C2 name the same cohort in different letter cases;
    /// C3 names another cohort that starts alike; C4 names none.
    ///
    /// | id | activity         | cohorts                 | ratings          |
    /// | C1 | lesson visit     | Nurture Group, SEND     | 1 Green, 2 Red   |
    /// | C2 | work scrutiny    | NURTURE group           | 1 Red, 2 Amber   |
    /// | C3 | pupil discussion | Nurture                 | 1 Gold, 2 Red    |
    /// | C4 | lesson visit     | -                       | 1 Amber, 2 Red   |
    ///
    /// And in other terms: C5 (spring 2025, same academic year) and C6 (2023/24), both naming "nurture group".
    func fixture() throws -> Fixture {
        let f = try Fixture()
        let oak = try f.school("Oakfield Academy"), maths = try f.subject("Maths")
        let ann = try f.staff("Ann Archer", school: oak)
        try f.record("C1", school: oak, subject: maths, staff: ann, date: "2024-10-01", verbal: "2024-10-02",
                     cohorts: ["Nurture Group", "SEND"], ratings: [1: .green, 2: .red])
        try f.record("C2", school: oak, subject: maths, staff: ann, activity: .workScrutiny, date: "2024-10-02",
                     cohorts: ["NURTURE group"], ratings: [1: .red, 2: .amber])
        try f.record("C3", school: oak, subject: maths, staff: ann, activity: .pupilDiscussion, date: "2024-10-03",
                     cohorts: ["Nurture"], ratings: [1: .gold, 2: .red])
        try f.record("C4", school: oak, subject: maths, staff: ann, date: "2024-10-04", ratings: [1: .amber, 2: .red])
        try f.record("C5", school: oak, subject: maths, staff: ann, date: "2025-02-03", cohorts: ["nurture group"],
                     ratings: [3: .gold])
        try f.record("C6", school: oak, subject: maths, staff: ann, date: "2023-11-06", cohorts: ["Nurture Group"],
                     ratings: [4: .green])
        try f.refresh()
        return f
    }

    static let autumn = Filter(academicYear: AcademicYear(startYear: 2024), term: .autumn)

    func filter(cohort: String) -> Filter {
        var f = Self.autumn
        f.cohort = cohort
        return f
    }

    @Test func cohortKeysNameEachCohortInLowerCaseWithItsYearAndTerm() throws {
        let f = try Fixture()
        // Quotes, a backslash, a name spelt NULL, an empty name, letters outside ASCII and a name with colons: the
        // array's text form quotes these, and lowering that text must lower each name and nothing else.
        let names = ["SEND", "Nurture \"Group\"", "Back\\Slash", "NULL", "", "Key Cohort", "ÉCOLE Ü", "{Y:2024:A}"]
        let row = try f.connection.query("""
            SELECT qa.cohort_keys(\(names)::text[], 2024::smallint, 'autumn') AS keys,
                   ARRAY(SELECT v.key FROM unnest(\(names)::text[]) WITH ORDINALITY AS u(name, i),
                         LATERAL (VALUES (1, 'c:' || lower(u.name)), (2, 'y:2024:' || lower(u.name)),
                                         (3, 't:2024:autumn:' || lower(u.name))) AS v(j, key)
                          ORDER BY u.i, v.j) AS each,
                   qa.cohort_keys('{}'::text[], 2024::smallint, 'autumn') = '{}' AS empty
            """).single()
        let keys: [String] = try row.decode("keys"), each: [String] = try row.decode("each")
        #expect(keys == each)
        // Letters outside ASCII lower as the server's lower() does (not at all in the C locale), so the seventh
        // name is held to `each` only.
        #expect(keys.count == 24)
        #expect(Array(keys.prefix(6)) == ["c:send", "y:2024:send", "t:2024:autumn:send",
                                          "c:nurture \"group\"", "y:2024:nurture \"group\"", "t:2024:autumn:nurture \"group\""])
        #expect(Array(keys[6..<18].enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
                == ["c:back\\slash", "c:null", "c:", "c:key cohort"])
        #expect(Array(keys.suffix(3)) == ["c:{y:2024:a}", "y:2024:{y:2024:a}", "t:2024:autumn:{y:2024:a}"])
        #expect(try row.decode("empty", as: Bool.self))
    }

    /// The key asked for follows the filter's period: a term, the term containing a day, a year, or none.
    @Test func aCohortIsFoundInTheFiltersTermOrYear() throws {
        let f = try fixture()
        func ratings(_ filter: Filter) throws -> Int {
            try Distribution(by: [.standard], filter: filter, preference: .baseTables).run(on: f.connection).reduce(0) { $0 + $1.n }
        }
        #expect(try ratings(filter(cohort: "NURTURE GROUP")) == 4)  // C1, C2: autumn 2024
        var spring = Filter(academicYear: AcademicYear(startYear: 2024), term: .spring)
        spring.cohort = "nurture group"
        #expect(try ratings(spring) == 1)  // C5
        #expect(try ratings(Filter(cohort: "nurture group", termContaining: CalendarDate(year: 2025, month: 2, day: 20)!)) == 1)
        #expect(try ratings(Filter(cohort: "nurture group", academicYear: AcademicYear(startYear: 2024))) == 5)  // C1, C2, C5
        #expect(try ratings(Filter(cohort: "nurture group", academicYear: AcademicYear(startYear: 2023))) == 1)  // C6
        #expect(try ratings(Filter(cohort: "nurture group")) == 6)  // every year
        var autumns = Filter(cohort: "nurture group")
        autumns.term = .autumn
        #expect(try ratings(autumns) == 5)  // C1, C2, C6
    }

    @Test func aCohortMatchesInAnyLetterCaseAndNoOtherCohort() throws {
        let f = try fixture()
        let nurture = filter(cohort: " nurture GROUP ")
        // Distribution over the base tables: C1's and C2's ratings only.
        let counts = try Distribution(by: [.standard], filter: nurture, preference: .baseTables).run(on: f.connection)
        #expect(counts.summary == ["1: 2 0 1 0 1", "2: 2 0 0 1 1"])
        // Grouped by cohort, each record's names count under their own spelling, as loaded.
        let byCohort = try Distribution(by: [.cohort], filter: nurture, preference: .baseTables).run(on: f.connection)
        #expect(byCohort.summary == ["NURTURE group: 2 0 0 1 1", "Nurture Group: 2 0 1 0 1"])

        // Triangulation: C1's lesson visit beside C2's work scrutiny; C3's pupil discussion is another cohort's.
        let rows = try Triangulation(filter: nurture).run(on: f.connection)
        #expect(rows.map { "\($0.standard) \($0.ratings.sorted { $0.key < $1.key }) \($0.verdict)" } == [
            "1 [(key: \"lesson_visit\", value: \"Green\"), (key: \"work_scrutiny\", value: \"Red\")] conflict",
            "2 [(key: \"lesson_visit\", value: \"Red\"), (key: \"work_scrutiny\", value: \"Amber\")] agree",
        ])

        // cpd-needs' staff level: standard 2 is Red in C1 and Amber in C2 (C3 and C4 are other cohorts' and none).
        let needs = try CPDNeeds(filter: nurture).run(on: f.connection)
        #expect(needs.staff.map { "\($0.staff) \($0.standard) \($0.red) \($0.amber) \($0.evidenceIDs)" }
                == ["Ann Archer 2 1 1 [\"C1\", \"C2\"]"])

        // Feedback (from SQL/026's table, where C1 and C2 are one cohort): two records, C1's verbal feedback on time.
        let feedback = try FeedbackTimeliness(filter: nurture, today: CalendarDate(year: 2024, month: 12, day: 1)!)
            .run(on: f.connection)
        let school = try #require(feedback.first { $0.level == "school" })
        #expect(school.records == 2)
        #expect(school.verbal.onTime == 1 && school.verbal.missing == 1)
    }

    @Test func unspecifiedMatchesTheRecordsNamingNoCohort() throws {
        let f = try fixture()
        let none = filter(cohort: "Unspecified")
        let counts = try Distribution(by: [.standard], filter: none, preference: .baseTables).run(on: f.connection)
        #expect(counts.summary == ["1: 1 0 0 1 0", "2: 1 0 0 0 1"])
        let feedback = try FeedbackTimeliness(filter: none, today: CalendarDate(year: 2024, month: 12, day: 1)!)
            .run(on: f.connection)
        #expect(feedback.first { $0.level == "school" }?.records == 1)
        // One activity alone cannot be triangulated, and one record cannot raise a flag.
        #expect(try Triangulation(filter: none).run(on: f.connection).isEmpty)
        #expect(try CPDNeeds(filter: none).run(on: f.connection).staff.isEmpty)
    }

    /// The index is only worth having if the filter is written as its expression and PostgreSQL knows how few
    /// records a cohort has: among 5,000 more records of the term naming another cohort, it must find the two
    /// records of a small cohort through the index, by its key for the term asked about, in each query that reads
    /// the records.
    @Test func theCohortFilterReadsTheCohortIndex() throws {
        let f = try fixture()
        try f.connection.execute("""
            INSERT INTO qa.evidence (source, evidence_id, school_id, subject_id, staff_id, activity, activity_date,
                academic_year, term, cohorts, content_hash, first_batch, last_batch)
            SELECT e.source, 'B' || g, e.school_id, e.subject_id, e.staff_id, e.activity, e.activity_date,
                   e.academic_year, e.term, ARRAY['Boys'], md5('B' || g), e.first_batch, e.last_batch
              FROM qa.evidence e, generate_series(1, 5000) AS g WHERE e.evidence_id = 'C4'
            """)
        // cpd-needs' staff level reads qa.support_evidence (SQL/022): an Amber rating of each new record there.
        try f.connection.execute("""
            INSERT INTO qa.support_evidence
            SELECT e.evidence_pk, 1, 'amber', e.evidence_id, e.school_id, e.subject_id, e.staff_id, e.activity,
                   e.activity_date, e.academic_year, e.term, e.cohorts, e.year_groups
              FROM qa.evidence e WHERE e.evidence_id LIKE 'B%' AND e.staff_id IS NOT NULL
            """)
        try f.connection.execute("ANALYZE qa.evidence")
        try f.connection.execute("ANALYZE qa.support_evidence")
        #expect(try f.count("qa.support_evidence WHERE 'Boys' = ANY (cohorts)") == 5000)
        let nurture = filter(cohort: "Nurture Group")
        // With an activity, the staff level reads qa.support_evidence (a term's alone is read from SQL/027's table).
        var visits = nurture
        visits.activity = .lessonVisit
        let statements: [(SQL, String)] = [
            (CPDNeeds(filter: visits).staffSQL, "support_evidence_cohort_keys"),
            // Over the base tables, as a cohort with dates is answered (a term's is read from SQL/025's table).
            (Triangulation(filter: nurture, preference: .baseTables).sql, "evidence_cohort_keys"),
            (FeedbackTimeliness(filter: nurture, preference: .baseTables).sql, "evidence_cohort_keys"),
        ]
        for (statement, index) in statements {
            let plan = try f.connection.query("EXPLAIN " + statement).map { try $0.decode("QUERY PLAN", as: String.self) }
            #expect(plan.contains { $0.contains(" on \(index) ") || $0.hasSuffix(" on \(index)") }, "\(plan.joined(separator: "\n"))")
            // The key of the cohort in the filter's term, not the cohort's in every term.
            #expect(plan.contains { $0.contains("t:2024:autumn:nurture group") }, "\(plan.joined(separator: "\n"))")
        }
        // The cohort's records' ratings come from the rating table's key alone, which carries them (migration 023),
        // once a vacuum has marked the table's pages all-visible: among 5,000 more ratings (of the other cohort).
        try f.connection.execute("""
            INSERT INTO qa.rating (evidence_pk, standard, rating)
            SELECT e.evidence_pk, 1, 'green' FROM qa.evidence e WHERE e.evidence_id LIKE 'B%'
            """)
        try f.connection.execute("VACUUM ANALYZE qa.rating")
        let plan = try f.connection.query("EXPLAIN " + Triangulation(filter: nurture, preference: .baseTables).sql)
            .map { try $0.decode("QUERY PLAN", as: String.self) }
        #expect(plan.contains { $0.contains("Index Only Scan using rating_pkey on rating") }, "\(plan.joined(separator: "\n"))")
    }

    /// A year group's keys (SQL/022): each year group with its year and term, none for none.
    @Test func yearGroupKeysNameEachYearGroupWithItsYearAndTerm() throws {
        let f = try Fixture()
        let keys: [String] = try f.connection.query(
            "SELECT qa.year_group_keys('{0,7,11}'::smallint[], 2024::smallint, 'spring') AS keys").single().decode("keys")
        #expect(keys == ["g:0", "y:2024:0", "t:2024:spring:0", "g:7", "y:2024:7", "t:2024:spring:7",
                         "g:11", "y:2024:11", "t:2024:spring:11"])
        let none: [String] = try f.connection.query(
            "SELECT qa.year_group_keys('{}'::smallint[], 2024::smallint, 'spring') AS keys").single().decode("keys")
        #expect(none.isEmpty)
    }

    /// cpd-needs' staff level finds a year group's Amber and Red ratings of one term by the keys' index on
    /// qa.support_evidence (SQL/022), among 5,000 of another year group in the same term; and gives the answer the
    /// base tables give, for a term, a year, every period and for records naming no year group.
    @Test func aYearGroupsSupportEvidenceIsFoundByItsKeys() throws {
        let f = try fixture()
        let oak = 1, maths = 1
        let ann = 1
        try f.record("Y1", school: oak, subject: maths, staff: ann, date: "2024-10-07", yearGroups: [11], ratings: [5: .red])
        try f.record("Y2", school: oak, subject: maths, staff: ann, date: "2024-10-08", yearGroups: [11, 7], ratings: [5: .amber])
        try f.record("Y3", school: oak, subject: maths, staff: ann, date: "2023-10-08", yearGroups: [11], ratings: [5: .red])
        try f.connection.execute("""
            INSERT INTO qa.evidence (source, evidence_id, school_id, subject_id, staff_id, activity, activity_date,
                academic_year, term, year_groups, content_hash, first_batch, last_batch)
            SELECT e.source, 'G' || g, e.school_id, e.subject_id, e.staff_id, e.activity, e.activity_date,
                   e.academic_year, e.term, ARRAY[8]::smallint[], md5('G' || g), e.first_batch, e.last_batch
              FROM qa.evidence e, generate_series(1, 5000) AS g WHERE e.evidence_id = 'C4'
            """)
        try f.connection.execute("""
            INSERT INTO qa.rating (evidence_pk, standard, rating)
            SELECT e.evidence_pk, 6, 'amber' FROM qa.evidence e WHERE e.evidence_id LIKE 'G%'
            """)
        try f.refresh()
        try f.connection.execute("ANALYZE qa.support_evidence")
        var term = Self.autumn
        term.yearGroup = .group(YearGroup(number: 11)!)
        // With an activity, the staff level reads qa.support_evidence (a term's alone is read from SQL/027's table).
        var visits = term
        visits.activity = .lessonVisit
        #expect(CPDNeeds(filter: visits).staffSource == .ratings)
        let plan = try f.connection.query("EXPLAIN " + CPDNeeds(filter: visits).staffSQL)
            .map { try $0.decode("QUERY PLAN", as: String.self) }
        #expect(plan.contains { $0.contains(" on support_evidence_year_group_keys ") }, "\(plan.joined(separator: "\n"))")
        #expect(plan.contains { $0.contains("t:2024:autumn:") }, "\(plan.joined(separator: "\n"))")
        // Y1 and Y2 (year 11, autumn 2024) flag standard 5; Y3 is of another year.
        #expect(try CPDNeeds(filter: term).run(on: f.connection).staff.map { "\($0.standard) \($0.evidenceIDs)" }
                == ["5 [\"Y1\", \"Y2\"]"])
        var year = term
        year.term = nil
        var always = year
        always.academicYear = nil
        var none = Self.autumn
        none.yearGroup = .unspecified
        var seven = Self.autumn
        seven.yearGroup = .group(YearGroup(number: 7)!)
        for filter in [term, year, always, none, seven, visits] {
            let kept = CPDNeeds(filter: filter)
            #expect(kept.staffSource == (filter.activity == nil ? .yearGroupTerms : .ratings))
            #expect(try kept.run(on: f.connection).staff
                    == CPDNeeds(filter: filter, preference: .baseTables).run(on: f.connection).staff, "\(filter)")
        }
        #expect(try CPDNeeds(filter: always).run(on: f.connection).staff.map(\.evidenceIDs) == [["Y3", "Y1", "Y2"]])
    }

    /// A cohort the loads never listed (records written here directly) is still a cohort to the filter check, by
    /// the records' keys; a name no record has is refused with the nearest known name.
    @Test func theFilterCheckFindsACohortOnlyTheRecordsName() throws {
        let f = try fixture()
        try FilterCheck.check(filter(cohort: "nurture GROUP"), on: f.connection)
        let refused = #expect(throws: QueryError.self) {
            try FilterCheck.check(Filter(cohort: "Nurture Grup"), on: f.connection)
        }
        #expect(refused.map { "\($0)" }?.contains("Nurture Grup") == true)
    }

    /// A cohort's or a year group's counts for one term come from its summary by that term, not from a read of the
    /// whole summary: with plain index scans the only way in, the plan must name the term index (SQL/021) or, for the
    /// summaries by term without the subject (SQL/034), their key, which begins with the year and term.
    @Test func aTermsCohortAndYearGroupCountsReadTheSummaryByTerm() throws {
        let f = try fixture()
        try f.connection.execute("SET enable_seqscan = off")
        try f.connection.execute("SET enable_bitmapscan = off")
        var cohort = Self.autumn
        cohort.cohort = "SEND"
        var yearGroup = Self.autumn
        yearGroup.yearGroup = .group(YearGroup(number: 7)!)
        let questions: [(Filter, [Dimension], SummaryTable, String)] = [
            (cohort, [.subject, .standard], .cohortSummary, "rating_cohort_summary_term"),
            (yearGroup, [.subject, .standard], .yearGroupSummary, "rating_year_group_summary_term"),
            (cohort, [.school, .standard], .cohortTermSummary, "rating_cohort_term_summary_key"),
            (yearGroup, [.school, .standard], .yearGroupTermSummary, "rating_year_group_term_summary_key"),
        ]
        for (filter, dimensions, table, index) in questions {
            let distribution = Distribution(by: dimensions, filter: filter)
            #expect(distribution.source == .summary(table))
            let plan = try f.connection.query("EXPLAIN " + distribution.sql).map { try $0.decode("QUERY PLAN", as: String.self) }
            #expect(plan.contains { $0.contains(index) }, "\(plan.joined(separator: "\n"))")
        }
    }

    /// Triangulation for a cohort or a year group reads its table (SQL/025) by the index on year, cohort or year group
    /// and term: among 20,000 more rows of another cohort and year group in the same year, with the same answer as
    /// the base tables'.
    @Test func aCohortsTriangulationReadsItsTableByIndex() throws {
        let f = try fixture()
        for (table, column, value) in [("triangulation_cohort_summary", "cohort", "'boys'"),
                                       ("triangulation_year_group_summary", "year_group", "9")] {
            try f.connection.execute(SQL(verbatim: """
                INSERT INTO qa.\(table) (academic_year, term, \(column), school_id, subject_id, deep_dive_id, standard, ratings)
                SELECT 2024, 'autumn', \(value), t.school_id, t.subject_id, 'DD' || g, 1, 3
                  FROM qa.triangulation_summary t, generate_series(1, 20000) AS g WHERE t.standard = 1 LIMIT 20000
                """))
            try f.connection.execute(SQL(verbatim: "ANALYZE qa.\(table)"))
        }
        let year = AcademicYear(startYear: 2024)
        let questions: [(Filter, String)] = [
            (Filter(cohort: "NURTURE group", academicYear: year), "triangulation_cohort_summary_cohort"),
            (Filter(yearGroup: .unspecified, academicYear: year), "triangulation_year_group_summary_year_group"),
        ]
        for (filter, index) in questions {
            let triangulation = Triangulation(filter: filter)
            #expect(triangulation.source == (filter.cohort != nil ? .cohorts : .yearGroups))
            let plan = try f.connection.query("EXPLAIN " + triangulation.sql).map { try $0.decode("QUERY PLAN", as: String.self) }
            #expect(plan.contains { $0.contains(" using \(index) on ") || $0.contains(" on \(index) ") }, "\(plan.joined(separator: "\n"))")
            #expect(!plan.contains { $0.contains("Seq Scan on triangulation_") }, "\(plan.joined(separator: "\n"))")
            let rows = try triangulation.run(on: f.connection)
            #expect(!rows.isEmpty)
            #expect(rows == (try Triangulation(filter: filter, preference: .baseTables).run(on: f.connection)))
        }
    }

    /// Feedback for a cohort or a year group reads SQL/026's tables by their keys (year, cohort or year group, term)
    /// among 20,000 rows of another cohort and year group, and answers as the base tables do.
    @Test func aCohortsFeedbackReadsItsTableByIndex() throws {
        let f = try fixture()
        for (table, column, value) in [("feedback_cohort_summary", "cohort", "'boys'"),
                                       ("feedback_year_group_summary", "year_group", "9")] {
            try f.connection.execute(SQL(verbatim: """
                INSERT INTO qa.\(table) (academic_year, term, \(column), school_id, observer, kind, days, activity_idx, n)
                SELECT 2024, 'autumn', \(value), 1, 'Observer ' || g, 'verbal', 1, NULL, 1 FROM generate_series(1, 20000) AS g
                """))
            try f.connection.execute(SQL(verbatim: "ANALYZE qa.\(table)"))
        }
        let year = AcademicYear(startYear: 2024), today = CalendarDate(year: 2025, month: 3, day: 3)!
        let questions: [(Filter, String)] = [
            (Filter(cohort: "NURTURE group", academicYear: year), "feedback_cohort_summary_key"),
            (Filter(yearGroup: .unspecified, academicYear: year), "feedback_year_group_summary_key"),
        ]
        for (filter, index) in questions {
            let feedback = FeedbackTimeliness(filter: filter, today: today)
            #expect(feedback.summary == (filter.cohort != nil ? .cohorts : .yearGroups))
            let plan = try f.connection.query("EXPLAIN " + feedback.sql).map { try $0.decode("QUERY PLAN", as: String.self) }
            #expect(plan.contains { $0.contains(" using \(index) on ") || $0.contains(" on \(index) ") }, "\(plan.joined(separator: "\n"))")
            #expect(!plan.contains { $0.contains("Seq Scan on \(filter.cohort != nil ? "feedback_cohort" : "feedback_year_group")") },
                    "\(plan.joined(separator: "\n"))")
            let rows = try feedback.run(on: f.connection)
            #expect(!rows.isEmpty)
            #expect(rows == (try FeedbackTimeliness(filter: filter, today: today, preference: .baseTables).run(on: f.connection)))
        }
    }

    /// cpd-needs' staff level for a cohort or a year group reads SQL/027's term tables by their question indexes
    /// (year, cohort or year group, term) among 20,000 rows of another cohort and year group, and answers as the
    /// base tables do; a record naming one cohort twice, in two letter cases, counts once.
    @Test func aCohortsStaffLevelReadsItsTermTableByIndex() throws {
        let f = try fixture()
        let oak = 1, maths = 1, ann = 1
        try f.record("C7", school: oak, subject: maths, staff: ann, date: "2024-10-07", yearGroups: [9, 9],
                     cohorts: ["Nurture Group", "NURTURE GROUP"], ratings: [5: .red])
        try f.record("C8", school: oak, subject: maths, staff: ann, activity: .workScrutiny, date: "2024-10-08",
                     yearGroups: [9], cohorts: ["nurture group"], ratings: [5: .amber])
        try f.refresh()
        for (table, column, value) in [("support_evidence_cohort_term", "cohort", "'boys'"),
                                       ("support_evidence_year_group_term", "year_group", "8")] {
            try f.connection.execute(SQL(verbatim: """
                INSERT INTO qa.\(table) (academic_year, term, staff_id, standard, school_id, \(column), red, amber, evidence_ids)
                SELECT 2024, 'autumn', 1000 + g, 1, \(oak), \(value), 1, 1, 'B' || g FROM generate_series(1, 20000) AS g
                """))
            try f.connection.execute(SQL(verbatim: "ANALYZE qa.\(table)"))
        }
        let year = AcademicYear(startYear: 2024)
        let questions: [(Filter, CPDNeeds.StaffSource, String)] = [
            (Filter(cohort: "NURTURE group", academicYear: year), .cohortTerms, "support_evidence_cohort_term_cohort"),
            (Filter(yearGroup: .group(YearGroup(number: 9)!), academicYear: year), .yearGroupTerms,
             "support_evidence_year_group_term_year_group"),
        ]
        for (filter, source, index) in questions {
            let needs = CPDNeeds(filter: filter)
            #expect(needs.staffSource == source)
            let plan = try f.connection.query("EXPLAIN " + needs.staffSQL).map { try $0.decode("QUERY PLAN", as: String.self) }
            #expect(plan.contains { $0.contains(" using \(index) on ") || $0.contains(" on \(index) ") }, "\(plan.joined(separator: "\n"))")
            #expect(!plan.contains { $0.contains("Seq Scan on support_evidence_") }, "\(plan.joined(separator: "\n"))")
            let staff = try needs.run(on: f.connection).staff
            #expect(staff == (try CPDNeeds(filter: filter, preference: .baseTables).run(on: f.connection).staff))
            // C7's Red and C8's Amber on standard 5: C7 counted once under its cohort and its year group.
            #expect(staff.first { $0.standard == 5 }.map { "\($0.red) \($0.amber) \($0.evidenceIDs)" } == "1 1 [\"C7\", \"C8\"]")
        }
    }
}
