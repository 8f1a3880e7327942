import Postgres
import QACore
import QAQuery
import Testing

@Suite struct FeedbackTests {
    /// Half term 13-17 February 2023 is closed. Today is Monday 20 March 2023.
    func fixture() throws -> Fixture {
        let f = try Fixture()
        let oak = try f.school("Oakfield Academy")
        let maths = try f.subject("Maths")
        let ann = try f.staff("Ann Archer", school: oak)
        try f.connection.execute(
            "INSERT INTO qa.closure_day SELECT d::date, 'half term' FROM generate_series('2023-02-13'::date, '2023-02-17', '1 day') d")
        // Friday before half term; verbal the Monday after it: 1 working day. Written 11 working days: late.
        try f.record("F1", school: oak, subject: maths, staff: ann, date: "2023-02-10", observer: "Olive",
                     verbal: "2023-02-20", written: "2023-03-06", ratings: [1: .green])
        // Verbal exactly 5 working days later: on time. No written yet, 10 working days elapsed: pending.
        try f.record("F2", school: oak, subject: maths, staff: ann, date: "2023-03-06", observer: "Olive",
                     verbal: "2023-03-13", ratings: [1: .green])
        // No verbal after 10 working days: missing. Written on the 10th working day: on time.
        try f.record("F3", school: oak, subject: maths, staff: ann, date: "2023-03-06", observer: "Paul",
                     written: "2023-03-20", ratings: [1: .green])
        try f.record("F4", school: oak, subject: maths, staff: ann, date: "2023-03-06", observer: "Olive",
                     withdrawn: true, ratings: [1: .green])
        return f
    }

    let today = CalendarDate(year: 2023, month: 3, day: 20)!

    @Test func onTimeLateMissingAndPendingCountWorkingDaysLessClosures() throws {
        let f = try fixture()
        let rows = try FeedbackTimeliness(today: today).run(on: f.connection)
        #expect(rows == [
            FeedbackRow(level: "school", name: "Oakfield Academy", records: 3,
                        verbal: FeedbackCounts(onTime: 2, late: 0, missing: 1, pending: 0, medianDays: 3),
                        written: FeedbackCounts(onTime: 1, late: 1, missing: 0, pending: 1, medianDays: 10.5)),
            FeedbackRow(level: "observer", name: "Olive", records: 2,
                        verbal: FeedbackCounts(onTime: 2, late: 0, missing: 0, pending: 0, medianDays: 3),
                        written: FeedbackCounts(onTime: 0, late: 1, missing: 0, pending: 1, medianDays: 11)),
            FeedbackRow(level: "observer", name: "Paul", records: 1,
                        verbal: FeedbackCounts(onTime: 0, late: 0, missing: 1, pending: 0, medianDays: nil),
                        written: FeedbackCounts(onTime: 1, late: 0, missing: 0, pending: 0, medianDays: 10)),
        ])
    }

    @Test func withoutTheClosureDaysTheSameFeedbackIsLate() throws {
        let f = try fixture()
        try f.connection.execute("DELETE FROM qa.closure_day")
        let school = try #require(FeedbackTimeliness(today: today).run(on: f.connection).first)
        // F1's verbal feedback now took 6 working days.
        #expect(school.verbal.onTime == 1 && school.verbal.late == 1)
        #expect(school.verbal.medianDays == 5.5)
    }

    @Test func aDayEarlierTheMissingFeedbackIsStillPending() throws {
        let f = try fixture()
        let rows = try FeedbackTimeliness(today: CalendarDate(year: 2023, month: 3, day: 13)!).run(on: f.connection)
        // On 13 March, 5 working days after 6 March: F3's verbal feedback is due today, not yet missing.
        #expect(rows.first?.verbal.pending == 1 && rows.first?.verbal.missing == 0)
    }

    /// Expects the summary's answer to equal the base tables' for each filter, with observers' names shown and
    /// hidden, on `today`; returns the summary's answers.
    func expectSummaryAgreesWithBaseTables(
        _ f: Fixture, _ filters: [Filter], _ today: CalendarDate, _ context: String
    ) throws -> [FeedbackRow] {
        var answers: [FeedbackRow] = []
        for filter in filters {
            for names in [true, false] {
                let summary = try FeedbackTimeliness(filter: filter, today: today, namesVisible: names).run(on: f.connection)
                let base = try FeedbackTimeliness(filter: filter, today: today, namesVisible: names, preference: .baseTables)
                    .run(on: f.connection)
                #expect(summary == base, "\(context), \(today.iso) \(filter) names: \(names)")
                answers += summary
            }
        }
        return answers
    }

    /// The summary a load keeps (SQL/009) gives the same answers as the base tables, with each filter it carries
    /// and without observers' names: for any day on or after the day it judged overdue feedback, and for earlier
    /// days with its corrections (feedback missing on a record it judged overdue that was still pending then).
    @Test func theFeedbackSummaryAgreesWithTheBaseTables() throws {
        let f = try fixture()
        let filters = [
            Filter(), Filter(school: "oakfield academy"), Filter(academicYear: AcademicYear(startYear: 2022)),
            Filter(term: .spring), Filter(term: .summer), Filter(subject: "Maths"),
        ]
        let days = [(2, 1), (2, 10), (2, 24), (3, 3), (3, 6), (3, 10), (3, 13), (3, 14), (3, 17), (3, 20), (3, 21), (12, 1)]
        for judged in ["2023-03-06", "2023-03-21", "2023-12-01"] {
            try f.connection.execute("SELECT qa.refresh_feedback_summary(\(judged)::date)")
            for (month, day) in days {
                let today = try #require(CalendarDate(year: 2023, month: month, day: day))
                _ = try expectSummaryAgreesWithBaseTables(f, filters, today, "judged \(judged)")
            }
        }
        // Judged on 21 March, F3's missing verbal feedback (6 March) is overdue; on 10 March it was pending (and
        // F2's written feedback; F3's, given on 20 March, counts as given).
        try f.connection.execute("SELECT qa.refresh_feedback_summary('2023-03-21')")
        let tenth = try FeedbackTimeliness(today: CalendarDate(year: 2023, month: 3, day: 10)!).run(on: f.connection)
        #expect(tenth.first.map { "\($0.verbal.missing) \($0.verbal.pending) \($0.written.pending)" } == "0 1 1")
    }

    /// Records naming cohorts and year groups, over two terms: P1 names one cohort twice in different letter cases,
    /// P2 two cohorts, P3 none; year groups likewise (P1 names year 7 twice).
    func pupilsFixture() throws -> Fixture {
        let f = try fixture()
        let oak = 1, maths = 1, ann = 1
        let river = try f.school("Riverside School")
        try f.record("P1", school: oak, subject: maths, staff: ann, date: "2023-03-08", observer: "Olive", verbal: "2023-03-09",
                     yearGroups: [7, 7], cohorts: ["Nurture Group", "NURTURE group"], ratings: [1: .green])
        try f.record("P2", school: river, subject: maths, staff: nil, date: "2023-03-09", observer: "Paul", written: "2023-03-17",
                     yearGroups: [7, 9], cohorts: ["SEND", "nurture group"], ratings: [2: .amber])
        try f.record("P3", school: river, subject: maths, staff: nil, date: "2023-03-14", observer: "Olive", ratings: [3: .red])
        try f.record("P4", school: oak, subject: maths, staff: ann, date: "2022-11-14", observer: nil, verbal: "2022-11-30",
                     yearGroups: [9], cohorts: ["SEND"], ratings: [1: .amber])
        try f.record("P5", school: oak, subject: maths, staff: ann, date: "2023-03-09", observer: "Paul",
                     yearGroups: [7], cohorts: ["SEND"], withdrawn: true, ratings: [1: .amber])
        return f
    }

    /// The pupils fixture's filters, from the tables and from the base tables, on days from November to December
    /// 2022/23, with the tables judged on three days.
    func expectAgreementOverTwoTerms(_ f: Fixture, _ filters: [Filter]) throws {
        let days = [(11, 15), (11, 30), (3, 8), (3, 10), (3, 15), (3, 17), (3, 20), (3, 24), (3, 31), (12, 1)]
        for judged in ["2023-03-10", "2023-03-21", "2023-12-01"] {
            try f.connection.execute("SELECT qa.refresh_feedback_summary(\(judged)::date)")
            for (month, day) in days {
                let today = try #require(CalendarDate(year: month > 8 ? 2022 : 2023, month: month, day: day))
                _ = try expectSummaryAgreesWithBaseTables(f, filters, today, "judged \(judged)")
            }
        }
    }

    /// For a cohort or a year group (with a year, term or school, or none) the tables per cohort and year group
    /// (SQL/026) give the base tables' answer on every day, before and after the day they were judged, and a
    /// record counts once under a cohort or year group it names twice.
    @Test func theCohortAndYearGroupTablesAgreeWithTheBaseTables() throws {
        let f = try pupilsFixture()
        let year = AcademicYear(startYear: 2022)
        let filters = [
            Filter(cohort: "nurture group"), Filter(cohort: "SEND"), Filter(cohort: "Unspecified"),
            Filter(cohort: "send", term: .spring), Filter(school: "riverside school", cohort: "Nurture Group", academicYear: year),
            Filter(yearGroup: .group(YearGroup(number: 7)!)), Filter(yearGroup: .group(YearGroup(number: 9)!), term: .autumn),
            Filter(yearGroup: .unspecified, academicYear: year),
        ]
        for filter in filters {
            #expect(FeedbackTimeliness(filter: filter).summary == (filter.cohort != nil ? .cohorts : .yearGroups))
        }
        try expectAgreementOverTwoTerms(f, filters)
        // The tables' own rows: P1, P2 in the Nurture Group (P1 once), P2 and P4 SEND; F1-F3 and P3 name none.
        let rows = try f.connection.query("""
            SELECT cohort, sum(n)::int AS n FROM qa.feedback_cohort_summary WHERE kind = 'verbal' GROUP BY 1 ORDER BY 1
            """).map { "\(try $0.decode("cohort", as: String.self)) \(try $0.decode("n", as: Int.self))" }
        #expect(rows == ["nurture group 2", "send 2", "unspecified 4"])
        let groups = try f.connection.query("""
            SELECT coalesce(year_group::text, 'none') AS g, sum(n)::int AS n FROM qa.feedback_year_group_summary
             WHERE kind = 'written' GROUP BY 1 ORDER BY 1
            """).map { "\(try $0.decode("g", as: String.self)) \(try $0.decode("n", as: Int.self))" }
        #expect(groups == ["7 2", "9 2", "none 4"])
        // On 20 March: the Nurture Group's two records. P1's verbal feedback on time (1 working day), its written
        // pending (8 so far); P2's verbal missing (7), its written on time (6).
        let nurture = try FeedbackTimeliness(filter: Filter(cohort: "NURTURE GROUP"), today: today).run(on: f.connection)
        #expect(nurture.map {
            "\($0.level) \($0.name) \($0.records) \($0.verbal.onTime) \($0.verbal.missing) \($0.written.onTime) \($0.written.missing) \($0.written.pending)"
        } == [
            "school Oakfield Academy 1 1 0 0 0 1", "school Riverside School 1 0 1 1 0 0",
            "observer Olive 1 1 0 0 0 1", "observer Paul 1 0 1 1 0 0",
        ])
    }

    /// For an activity (with a year, term or school, or none) the table per activity (SQL/029) gives the base
    /// tables' answer on every day, before and after the day it was judged.
    @Test func theActivityTableAgreesWithTheBaseTables() throws {
        let f = try pupilsFixture()
        let oak = 1, maths = 1, ann = 1
        try f.record("W1", school: oak, subject: maths, staff: ann, activity: .workScrutiny, date: "2023-03-07",
                     observer: "Paul", verbal: "2023-03-08", ratings: [4: .green])
        try f.record("W2", school: 2, subject: maths, staff: nil, activity: .workScrutiny, date: "2022-11-21",
                     observer: "Olive", ratings: [4: .red])
        let year = AcademicYear(startYear: 2022)
        let filters = [
            Filter(activity: .lessonVisit), Filter(activity: .workScrutiny), Filter(activity: .workScrutiny, term: .spring),
            Filter(school: "riverside school", activity: .workScrutiny, academicYear: year), Filter(activity: .deepDive),
        ]
        for filter in filters {
            let everyYear = filter.academicYear == nil && filter.term == nil
            #expect(FeedbackTimeliness(filter: filter).summary == (everyYear ? .activitiesOverall : .activities))
        }
        try expectAgreementOverTwoTerms(f, filters)
        // The table's own rows: F1-F3 and P1-P4 lesson visits, W1 and W2 work scrutiny (the withdrawn F4 and P5
        // in neither).
        let rows = try f.connection.query("""
            SELECT activity, sum(n)::int AS n FROM qa.feedback_activity_summary WHERE kind = 'verbal' GROUP BY 1 ORDER BY 1
            """).map { "\(try $0.decode("activity", as: String.self)) \(try $0.decode("n", as: Int.self))" }
        #expect(rows == ["lesson_visit 7", "work_scrutiny 2"])
        // On 20 March: W1's verbal feedback on time (1 working day), its written pending (9 so far, due in 10);
        // W2's both missing.
        let scrutiny = try FeedbackTimeliness(filter: Filter(activity: .workScrutiny), today: today).run(on: f.connection)
        #expect(scrutiny.map {
            "\($0.level) \($0.name) \($0.records) \($0.verbal.onTime) \($0.verbal.missing) \($0.written.missing) \($0.written.pending)"
        } == [
            "school Oakfield Academy 1 1 0 0 1", "school Riverside School 1 0 1 1 0",
            "observer Olive 1 0 1 1 0", "observer Paul 1 1 0 0 1",
        ])
    }

    /// For a subject (with a year, term or school, or none) the tables per subject (SQL/030) give the base tables'
    /// answer on every day, before and after the day they were judged; so does the table per activity over every
    /// year. A record naming no subject is in neither subject table.
    @Test func theSubjectTablesAgreeWithTheBaseTables() throws {
        let f = try pupilsFixture()
        let science = try f.subject("Science")
        try f.record("S1", school: 2, subject: science, staff: nil, activity: .workScrutiny, date: "2023-03-07",
                     observer: "Paul", verbal: "2023-03-08", ratings: [4: .green])
        try f.record("S2", school: 1, subject: science, staff: 1, date: "2022-11-21", observer: "Olive",
                     written: "2022-12-09", ratings: [4: .red])
        try f.record("N1", school: 1, subject: nil, staff: 1, date: "2023-03-13", observer: "Olive", ratings: [5: .amber])
        let year = AcademicYear(startYear: 2022)
        let filters = [
            Filter(subject: "MATHS"), Filter(subject: "science"), Filter(subject: "maths", term: .spring),
            Filter(subject: "Science", academicYear: year), Filter(school: "riverside school", subject: "maths"),
            Filter(school: "oakfield academy", subject: "science", academicYear: year, term: .autumn),
            Filter(activity: .workScrutiny), Filter(school: "oakfield academy", activity: .lessonVisit),
        ]
        for filter in filters {
            let everyYear = filter.academicYear == nil && filter.term == nil
            let expected: FeedbackSummary = filter.activity != nil ? .activitiesOverall
                : everyYear ? .subjectsOverall : .subjects
            #expect(FeedbackTimeliness(filter: filter).summary == expected, "\(filter)")
        }
        try expectAgreementOverTwoTerms(f, filters)
        // The tables' own rows, judged as of 1 December 2023: F1-F3 and P1-P4 Maths (the withdrawn F4 and P5 in
        // neither), S1 and S2 Science, N1 (no subject) in neither; every record under its activity.
        func verbal(_ table: String, _ column: String) throws -> [String] {
            try f.connection.query(SQL(verbatim: """
                SELECT \(column)::text AS k, sum(n)::int AS n FROM qa.\(table) WHERE kind = 'verbal' GROUP BY 1 ORDER BY 1
                """)).map { "\(try $0.decode("k", as: String.self)) \(try $0.decode("n", as: Int.self))" }
        }
        #expect(try verbal("feedback_subject_summary", "subject_id") == ["1 7", "\(science) 2"])
        #expect(try verbal("feedback_subject_overall_summary", "subject_id") == ["1 7", "\(science) 2"])
        #expect(try verbal("feedback_subject_summary", "term") == ["autumn 2", "spring 7"])
        #expect(try verbal("feedback_activity_overall_summary", "activity") == ["lesson_visit 9", "work_scrutiny 1"])
        // On 20 March: Science's two records, S1's verbal feedback on time, S2's missing, its written late (14 working
        // days); S1's written pending (9 so far, due in 10).
        let sciences = try FeedbackTimeliness(filter: Filter(subject: "Science"), today: today).run(on: f.connection)
        #expect(sciences.map {
            "\($0.level) \($0.name) \($0.records) \($0.verbal.onTime) \($0.verbal.missing) \($0.written.late) \($0.written.pending)"
        } == [
            "school Oakfield Academy 1 0 1 1 0", "school Riverside School 1 1 0 0 1",
            "observer Olive 1 0 1 1 0", "observer Paul 1 1 0 0 1",
        ])
    }

    /// A subject's feedback for a year, or over every year, is read from SQL/030's keys alone (the count is in them)
    /// among 20,000 rows of forty other subjects, and answers as the base tables do.
    @Test func aSubjectsFeedbackIsReadFromItsKeyAlone() throws {
        let f = try fixture()
        try f.connection.execute("SELECT qa.refresh_feedback_summary('2023-03-20')")
        for (table, columns, values) in [("feedback_subject_summary", "academic_year, term, subject_id", "2022, 'spring', 1000 + g % 40"),
                                         ("feedback_subject_overall_summary", "subject_id", "1000 + g % 40")] {
            try f.connection.execute(SQL(verbatim: """
                INSERT INTO qa.\(table) (\(columns), school_id, observer, kind, days, activity_idx, n)
                SELECT \(values), 1, 'Observer ' || g, 'verbal', 1, NULL, 1 FROM generate_series(1, 20000) AS g
                """))
            try f.connection.execute(SQL(verbatim: "VACUUM (ANALYZE) qa.\(table)"))
        }
        for (filter, table) in [(Filter(subject: "maths", academicYear: AcademicYear(startYear: 2022)), "feedback_subject_summary"),
                                (Filter(subject: "maths"), "feedback_subject_overall_summary")] {
            let maths = FeedbackTimeliness(filter: filter, today: today)
            let plan = try f.connection.query("EXPLAIN " + maths.sql).map { try $0.decode("QUERY PLAN", as: String.self) }
            #expect(plan.contains { $0.contains("Index Only Scan using \(table)_key on \(table)") }, "\(plan.joined(separator: "\n"))")
            let rows = try maths.run(on: f.connection)
            #expect(rows.map { "\($0.level) \($0.name) \($0.records) \($0.verbal.onTime) \($0.written.pending)" } == [
                "school Oakfield Academy 3 2 1", "observer Olive 2 2 1", "observer Paul 1 0 0",
            ], "\(filter)")
            #expect(rows == (try FeedbackTimeliness(filter: filter, today: today, preference: .baseTables).run(on: f.connection)))
        }
    }

    /// An activity's feedback is read from SQL/029's key alone (the count is in it) among 20,000 rows of another
    /// activity, and answers as the base tables do.
    @Test func anActivitysFeedbackIsReadFromItsKeyAlone() throws {
        let f = try fixture()
        try f.record("W1", school: 1, subject: 1, staff: 1, activity: .workScrutiny, date: "2023-03-07",
                     observer: "Paul", verbal: "2023-03-08", ratings: [4: .green])
        try f.connection.execute("SELECT qa.refresh_feedback_summary('2023-03-20')")
        try f.connection.execute("""
            INSERT INTO qa.feedback_activity_summary (academic_year, term, activity, school_id, observer, kind, days, activity_idx, n)
            SELECT 2022, 'spring', 'lesson_visit', 1, 'Observer ' || g, 'verbal', 1, NULL, 1 FROM generate_series(1, 20000) AS g
            """)
        try f.connection.execute("VACUUM (ANALYZE) qa.feedback_activity_summary")
        let scrutiny = FeedbackTimeliness(filter: Filter(activity: .workScrutiny, academicYear: AcademicYear(startYear: 2022)),
                                          today: today)
        #expect(scrutiny.summary == .activities)
        let plan = try f.connection.query("EXPLAIN " + scrutiny.sql).map { try $0.decode("QUERY PLAN", as: String.self) }
        #expect(plan.contains { $0.contains("Index Only Scan using feedback_activity_summary_key on feedback_activity_summary") },
                "\(plan.joined(separator: "\n"))")
        let rows = try scrutiny.run(on: f.connection)
        #expect(rows.map { "\($0.level) \($0.name) \($0.records) \($0.verbal.onTime) \($0.written.pending)" } == [
            "school Oakfield Academy 1 1 1", "observer Paul 1 1 1",
        ])
        #expect(rows == (try FeedbackTimeliness(filter: scrutiny.filter, today: today, preference: .baseTables).run(on: f.connection)))
    }

    /// A load's first step in each feedback table, finding the rows kept as possibly pending that are overdue by
    /// now, reads SQL/029's index of those rows, not the 20,000 rows already judged.
    @Test func theOverdueRowsAreFoundByIndex() throws {
        let f = try fixture()
        let tables: [(String, String, String)] = [
            ("feedback_summary", "academic_year, term", "2022, 'spring'"), ("feedback_overall_summary", "", ""),
            ("feedback_cohort_summary", "academic_year, term, cohort", "2022, 'spring', 'boys'"),
            ("feedback_year_group_summary", "academic_year, term, year_group", "2022, 'spring', 9"),
            ("feedback_activity_summary", "academic_year, term, activity", "2022, 'spring', 'lesson_visit'"),
            ("feedback_subject_summary", "academic_year, term, subject_id", "2022, 'spring', 1"),
            ("feedback_subject_overall_summary", "subject_id", "1"),
            ("feedback_activity_overall_summary", "activity", "'lesson_visit'"),
        ]
        for (table, columns, values) in tables {
            let extra = columns.isEmpty ? "" : ", " + columns, given = values.isEmpty ? "" : ", " + values
            try f.connection.execute(SQL(verbatim: """
                INSERT INTO qa.\(table) (school_id, observer, kind, days, activity_idx, n\(extra))
                SELECT 1, 'Observer ' || g, 'verbal', NULL, NULL, 1\(given) FROM generate_series(1, 20000) AS g
                """))
            try f.connection.execute(SQL(verbatim: "ANALYZE qa.\(table)"))
            let plan = try f.connection.query(SQL(verbatim: """
                EXPLAIN DELETE FROM qa.\(table) WHERE activity_idx IS NOT NULL AND 40000 - activity_idx > qa.feedback_deadline(kind)
                """)).map { try $0.decode("QUERY PLAN", as: String.self) }
            #expect(plan.contains { $0.contains("using \(table)_pending on \(table)") }, "\(plan.joined(separator: "\n"))")
        }
    }

    /// Records over three terms and two years, with feedback missing, for a day asked about well before the
    /// summary's: whole terms after that day are corrected from the summary, the rest from the records. With the
    /// trust's term dates (`termDates`), 3 April 2023 falls in the Easter holiday and so in the spring term.
    func laterTermsFixture(termDates: Bool) throws -> Fixture {
        let f = try Fixture()
        if termDates {
            try f.connection.execute("""
                INSERT INTO qa.term_date VALUES (2022, 'autumn', '2022-09-05', '2022-12-16'),
                    (2022, 'spring', '2023-01-04', '2023-03-31'), (2022, 'summer', '2023-04-17', '2023-07-21')
                """)
        }
        let oak = try f.school("Oakfield Academy"), river = try f.school("Riverside School")
        let maths = try f.subject("Maths")
        let ann = try f.staff("Ann Archer", school: oak)
        try f.record("L1", school: oak, subject: maths, staff: ann, date: "2023-02-10", observer: "Olive",
                     verbal: "2023-02-13", ratings: [1: .green])
        try f.record("L2", school: oak, subject: maths, staff: ann, date: "2023-03-29", observer: "Paul", ratings: [1: .green])
        try f.record("L3", school: river, subject: maths, staff: nil, date: "2023-04-03", observer: "Olive",
                     written: "2023-04-20", ratings: [1: .green])
        try f.record("L4", school: oak, subject: maths, staff: ann, date: "2023-05-10", observer: "Olive", ratings: [1: .green])
        try f.record("L5", school: river, subject: maths, staff: nil, date: "2023-10-02", observer: "Paul",
                     verbal: "2023-10-03", ratings: [1: .green])
        try f.record("L6", school: oak, subject: maths, staff: ann, date: "2023-11-20", observer: nil, ratings: [1: .green])
        return f
    }

    /// The summary's answer for a day before its own, whole later terms moved from overdue to pending, equals the
    /// base tables' on every day from before the first record to after the last, with or without term dates.
    @Test func earlierDaysAgreeWithTheBaseTablesAcrossTerms() throws {
        let filters = [
            Filter(), Filter(school: "riverside school"), Filter(academicYear: AcademicYear(startYear: 2022)),
            Filter(academicYear: AcademicYear(startYear: 2023)), Filter(term: .spring), Filter(term: .summer),
        ]
        let days = ["2023-01-05", "2023-02-10", "2023-02-24", "2023-03-31", "2023-04-03", "2023-04-14", "2023-04-20",
                    "2023-05-12", "2023-05-24", "2023-09-01", "2023-10-05", "2023-10-16", "2023-11-21"]
        var corrected = 0
        for termDates in [false, true] {
            let f = try laterTermsFixture(termDates: termDates)
            for judged in ["2023-12-15", "2024-02-01"] {
                try f.connection.execute("SELECT qa.refresh_feedback_summary(\(judged)::date)")
                for day in days {
                    let parts = day.split(separator: "-").compactMap { Int($0) }
                    let today = try #require(CalendarDate(year: parts[0], month: parts[1], day: parts[2]))
                    let answers = try expectSummaryAgreesWithBaseTables(f, filters, today, "term dates \(termDates), judged \(judged)")
                    corrected += answers.reduce(0) { $0 + $1.verbal.pending + $1.written.pending }
                }
            }
        }
        // Many of those answers had pending feedback that the summary alone counts as missing.
        #expect(corrected > 100)
        // At Oakfield on 14 April 2023, with the default terms: L4's and L6's feedback (summer and autumn terms, after
        // that day) was pending on both kinds; L1's written and L2's verbal and written feedback overdue (12 working
        // days after 29 March).
        let f = try laterTermsFixture(termDates: false)
        try f.connection.execute("SELECT qa.refresh_feedback_summary('2024-02-01')")
        let school = try #require(FeedbackTimeliness(today: CalendarDate(year: 2023, month: 4, day: 14)!)
            .run(on: f.connection).first { $0.level == "school" && $0.name == "Oakfield Academy" })
        #expect("\(school.verbal.missing) \(school.verbal.pending) \(school.written.missing) \(school.written.pending)" == "1 2 2 2")
    }

    /// By dates, the terms wholly inside the range come from the summary by year and term (with its corrections for
    /// an earlier day) and the days left over from the records: the base tables' answer on every day, with and
    /// without the trust's term dates, for ranges of whole terms, ranges starting or ending inside a term, open
    /// ranges and a range inside one term.
    @Test func datesAreAnsweredFromWholeTermsAndEndDays() throws {
        func day(_ text: String) -> CalendarDate? {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            return CalendarDate(year: parts[0], month: parts[1], day: parts[2])
        }
        let ranges: [(String?, String?)] = [
            ("2023-01-01", "2023-03-31"), ("2022-04-01", "2023-03-31"), ("2022-09-01", "2023-08-31"), ("2023-02-11", "2024-02-10"),
            ("2023-03-01", nil), (nil, "2023-04-02"), ("2022-10-01", "2023-11-30"), ("2023-02-01", "2023-02-28"),
        ]
        var filters: [Filter] = []
        for (from, to) in ranges {
            for other in [Filter(), Filter(school: "riverside school"), Filter(subject: "maths")] {
                var filter = other
                filter.from = from.flatMap(day)
                filter.to = to.flatMap(day)
                // Split: open ranges and whole terms by the default dates (without a cohort or a year group, whose
                // records in a term are found by key); a range with a term not whole at both ends is read from the
                // records alone.
                let split = FeedbackTimeliness(filter: filter).termRange != nil
                let wholeTerms = ["2023-01-01", "2022-04-01", "2022-09-01"].contains(from)
                #expect(split == (from == nil || to == nil || wholeTerms), "\(filter)")
                #expect(FeedbackTimeliness(filter: filter).summary == (!split ? nil : other.subject == nil ? .terms : .subjects), "\(filter)")
                filters.append(filter)
            }
        }
        let days = ["2023-02-24", "2023-04-03", "2023-04-14", "2023-05-24", "2023-10-05", "2023-11-21"]
        for termDates in [false, true] {
            let f = try laterTermsFixture(termDates: termDates)
            for judged in ["2023-04-05", "2024-02-01"] {
                try f.connection.execute("SELECT qa.refresh_feedback_summary(\(judged)::date)")
                for text in days {
                    _ = try expectSummaryAgreesWithBaseTables(f, filters, try #require(day(text)), "term dates \(termDates), judged \(judged)")
                }
            }
        }
        // At Oakfield on 14 April 2023, by the default terms. Up to 31 March: L1 (verbal on time, written overdue)
        // and L2 (both overdue), from the summary. From 11 February on: the spring term's L2 read from the records
        // (not L1, 10 February), the summer and autumn terms' L4 and L6 (later than that day: pending) from the
        // summary.
        let f = try laterTermsFixture(termDates: false)
        try f.connection.execute("SELECT qa.refresh_feedback_summary('2024-02-01')")
        func oakfield(_ from: String?, _ to: String?) throws -> String {
            let filter = Filter(from: from.flatMap(day), to: to.flatMap(day))
            #expect(FeedbackTimeliness(filter: filter).summary == .terms)
            #expect(FeedbackTimeliness(filter: filter).termRange != nil)
            let asked = try #require(day("2023-04-14"))
            let row = try #require(FeedbackTimeliness(filter: filter, today: asked)
                .run(on: f.connection).first { $0.level == "school" && $0.name == "Oakfield Academy" })
            return "\(row.records) \(row.verbal.onTime) \(row.verbal.missing) \(row.written.missing) \(row.written.pending)"
        }
        #expect(try oakfield(nil, "2023-03-31") == "2 1 1 2 0")
        #expect(try oakfield("2023-02-11", nil) == "3 0 1 1 2")
    }

    /// The query reads the summary on any day once a load has judged it, before that day too: records changed
    /// behind the summary's back show which source answered.
    @Test func theSummaryAnswersOnEveryDay() throws {
        let f = try fixture()
        try f.connection.execute("SELECT qa.refresh_feedback_summary('2023-03-13')")
        try f.connection.execute("UPDATE qa.evidence SET withdrawn_at = now()")
        let after = try FeedbackTimeliness(today: today).run(on: f.connection)
        #expect(after.map(\.records) == [3, 2, 1])
        let before = try FeedbackTimeliness(today: CalendarDate(year: 2023, month: 3, day: 10)!).run(on: f.connection)
        #expect(before.map(\.records) == [3, 2, 1])
        // With no load judged, the base tables answer.
        try f.connection.execute("DELETE FROM qa.feedback_summary_state")
        #expect(try FeedbackTimeliness(today: today).run(on: f.connection).isEmpty)
    }

    /// The statement run from the summary holds no part that reads every record (`r`, `g`, `h`): unused, such a
    /// part still had PostgreSQL set up hash tables sized for every record before running (80 ms at 3 million).
    /// `--explain` shows the check that chooses, then that statement; a filter the summary lacks has no check.
    @Test func theSummaryStatementHasNoBaseTablePart() throws {
        let query = FeedbackTimeliness(filter: Filter(school: "Oakfield Academy"), today: today)
        for part in ["WITH r AS (", ", g AS (", ", h AS ("] {
            #expect(!query.sql.text.contains(part), "\(part)")
            #expect(FeedbackTimeliness(today: today, preference: .baseTables).sql.text.contains(part), "\(part)")
        }
        #expect(query.sql.text.contains("FROM qa.feedback_overall_summary k"))
        #expect(query.explained.map(\.text) == [
            "SELECT EXISTS (SELECT 1 FROM qa.feedback_summary_state) AS judged", query.sql.text,
        ])
        // A cohort is read from its table (SQL/026) once judged; with a subject too, only the base tables answer.
        #expect(FeedbackTimeliness(filter: Filter(cohort: "SEND"), today: today).explained.count == 2)
        #expect(FeedbackTimeliness(filter: Filter(subject: "Maths", cohort: "SEND"), today: today).explained.count == 1)
        #expect(FeedbackTimeliness(filter: Filter(cohort: "SEND", yearGroup: .unspecified), today: today).summary == nil)
        // An activity or a subject from its tables (SQL/029, SQL/030) once judged, by dates too (their whole terms);
        // both together only from the base tables.
        #expect(FeedbackTimeliness(filter: Filter(activity: .workScrutiny), today: today).explained.count == 2)
        #expect(FeedbackTimeliness(filter: Filter(subject: "Maths"), today: today).explained.count == 2)
        #expect(FeedbackTimeliness(filter: Filter(subject: "Maths", activity: .workScrutiny), today: today).summary == nil)
        #expect(FeedbackTimeliness(filter: Filter(subject: "Maths", from: CalendarDate(year: 2023, month: 3, day: 1)),
                                   today: today).summary == .subjects)
    }

    /// A subject's feedback for one activity, which no summary holds, is read from SQL/028's index alone (the activity
    /// included since SQL/032), among 20,000 records of another subject over eight years, and the answer is the
    /// fixture's (all three of its records in use are Maths lesson visits in 2022/23; a work scrutiny is not counted).
    @Test func aSubjectAndActivitysFeedbackIsReadFromAnIndexAlone() throws {
        let f = try fixture()
        let science = try f.subject("Science")
        try f.record("W1", school: 1, subject: 1, staff: 1, activity: .workScrutiny, date: "2023-03-07",
                     observer: "Paul", verbal: "2023-03-08", ratings: [4: .green])
        try f.connection.execute(SQL(verbatim: """
            INSERT INTO qa.evidence (source, evidence_id, school_id, subject_id, observer, activity, activity_date,
                verbal_feedback_date, academic_year, term, content_hash, first_batch, last_batch)
            SELECT 'test', 'S' || g, 1, \(science), 'Olive', 'lesson_visit', make_date(2015 + g % 8, 10, 1),
                   make_date(2015 + g % 8, 10, 2), 2015 + g % 8, 'autumn', md5(g::text), 1, 1
              FROM generate_series(1, 20000) AS g
            """))
        // What autovacuum does after a load: marks the pages all-visible, so the index alone answers.
        try f.connection.execute("VACUUM (ANALYZE) qa.evidence")
        let visits = FeedbackTimeliness(filter: Filter(subject: "maths", activity: .lessonVisit,
                                                       academicYear: AcademicYear(startYear: 2022)), today: today)
        #expect(visits.summary == nil)
        let plan = try f.connection.query("EXPLAIN " + visits.sql).map { try $0.decode("QUERY PLAN", as: String.self) }
        #expect(plan.contains { $0.contains("Index Only Scan using evidence_feedback_subject on evidence") },
                "\(plan.joined(separator: "\n"))")
        let rows = try visits.run(on: f.connection)
        #expect(rows.map { "\($0.level) \($0.name) \($0.records)" } == [
            "school Oakfield Academy 3", "observer Olive 2", "observer Paul 1",
        ])
        #expect(rows.first?.verbal == FeedbackCounts(onTime: 2, late: 0, missing: 1, pending: 0, medianDays: 3))
        #expect(rows.first?.written == FeedbackCounts(onTime: 1, late: 1, missing: 0, pending: 1, medianDays: 10.5))
    }

    /// A subject's feedback between two dates, which no summary holds, is read from the records, among 20,000 of
    /// the same subject in the eight years before and 20,000 of another subject between the same dates; the answer is
    /// the fixture's (all three of its records in use are Maths, in 2022/23). At 3 million records PostgreSQL reads
    /// them from SQL/028's index alone (a year by dates 2.0 -> 1.5 s); here, where the records lie in the order they
    /// were inserted, it rightly prefers the index by subject, so the plan is not asserted.
    @Test func aSubjectsFeedbackByDatesReadsTheRecords() throws {
        let f = try fixture()
        let science = try f.subject("Science")
        try f.connection.execute(SQL(verbatim: """
            INSERT INTO qa.evidence (source, evidence_id, school_id, subject_id, observer, activity, activity_date,
                verbal_feedback_date, academic_year, term, content_hash, first_batch, last_batch)
            SELECT 'test', 'M' || g, 1, (SELECT subject_id FROM qa.subject WHERE name = 'Maths'), 'Olive', 'lesson_visit',
                   make_date(2014 + g % 8, 10, 1), make_date(2014 + g % 8, 10, 2), 2014 + g % 8, 'autumn', md5('M' || g), 1, 1
              FROM generate_series(1, 20000) AS g
            UNION ALL
            SELECT 'test', 'S' || g, 1, \(science), 'Olive', 'lesson_visit', make_date(2022, 10, 1 + g % 28),
                   make_date(2022, 10, 2 + g % 28), 2022, 'autumn', md5('S' || g), 1, 1
              FROM generate_series(1, 20000) AS g
            """))
        try f.connection.execute("VACUUM (ANALYZE) qa.evidence")
        let maths = FeedbackTimeliness(filter: Filter(subject: "maths", from: CalendarDate(year: 2022, month: 9, day: 1),
                                                      to: CalendarDate(year: 2023, month: 8, day: 31)),
                                       today: today)
        // The year 2022/23 is three whole terms: read from the subject table (the records inserted here are in other
        // years and another subject).
        #expect(maths.summary == .subjects)
        let rows = try maths.run(on: f.connection)
        #expect(rows.map { "\($0.level) \($0.name) \($0.records)" } == [
            "school Oakfield Academy 3", "observer Olive 2", "observer Paul 1",
        ])
        #expect(rows.first?.verbal == FeedbackCounts(onTime: 2, late: 0, missing: 1, pending: 0, medianDays: 3))
        #expect(rows.first?.written == FeedbackCounts(onTime: 1, late: 1, missing: 0, pending: 1, medianDays: 10.5))
    }

    /// Feedback still pending keeps its activity day in the summary until a later change judges it overdue.
    @Test func pendingFeedbackIsJudgedOverdueByALaterChange() throws {
        let f = try fixture()
        try f.connection.execute("SELECT qa.refresh_feedback_summary('2023-03-06')")
        // The summary and the tables per cohort and year group (SQL/026), where these records name none.
        func pending() throws -> [Int] {
            try ["feedback_summary", "feedback_cohort_summary", "feedback_year_group_summary",
                 "feedback_activity_summary", "feedback_subject_summary", "feedback_subject_overall_summary",
                 "feedback_activity_overall_summary"].map { table in
                try f.connection.query(SQL(verbatim: "SELECT count(*)::int AS n FROM qa.\(table) WHERE activity_idx IS NOT NULL"))
                    .single().decode("n", as: Int.self)
            }
        }
        // On 6 March F2's written and F3's verbal feedback could still come in time.
        #expect(try pending() == [2, 2, 2, 2, 2, 2, 2])
        try f.connection.execute("BEGIN")
        try f.connection.execute("""
            CREATE TEMP TABLE feedback_change (school_id integer, observer text, academic_year smallint, term text,
                activity_date date, verbal_feedback_date date, written_feedback_date date, n integer, cohorts text[],
                year_groups smallint[], activity text, subject_id integer) ON COMMIT DROP
            """)
        try f.connection.execute("SELECT qa.apply_feedback_change('2023-03-20')")
        try f.connection.execute("COMMIT")
        // By 20 March F3's verbal feedback is 10 working days overdue; F2's written is due that very day.
        #expect(try pending() == [1, 1, 1, 1, 1, 1, 1])
        #expect(try FeedbackTimeliness(today: today).run(on: f.connection)
                == FeedbackTimeliness(today: today, preference: .baseTables).run(on: f.connection))
    }

    /// Closure days change working-day counts: the summary follows them at once (a trigger rebuilds it).
    @Test func theSummaryFollowsTheClosureDays() throws {
        let f = try fixture()
        try f.connection.execute("SELECT qa.refresh_feedback_summary('2023-03-06')")
        try f.connection.execute("DELETE FROM qa.closure_day")
        let school = try #require(FeedbackTimeliness(today: today).run(on: f.connection).first)
        // F1's verbal feedback now took 6 working days: late, as the base tables say too.
        #expect(school.verbal.onTime == 1 && school.verbal.late == 1)
        #expect(try FeedbackTimeliness(today: today).run(on: f.connection)
                == FeedbackTimeliness(today: today, preference: .baseTables).run(on: f.connection))
        let asOf: String = try f.connection.query("SELECT as_of::text AS d FROM qa.feedback_summary_state").single().decode("d")
        #expect(asOf == "2023-03-06")
    }

    @Test func theDatabaseAndTheToolAgreeOnTheDeadlines() throws {
        let f = try Fixture()
        let row = try f.connection.query(
            "SELECT qa.feedback_deadline('verbal') AS verbal, qa.feedback_deadline('written') AS written").single()
        #expect(try row.decode("verbal", as: Int.self) == FeedbackDeadline.verbalWorkingDays)
        #expect(try row.decode("written", as: Int.self) == FeedbackDeadline.writtenWorkingDays)
    }
}
