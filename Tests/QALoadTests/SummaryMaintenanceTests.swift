import Foundation
import Postgres
import QACore
import QALoad
import QAQuery
import QASample
import Testing
import TestSupport

/// Loads keep the summaries up to date by applying their changes (SQL/006); after any sequence of
/// loads the summaries must equal a full rebuild from the base tables.
@Suite struct SummaryMaintenanceTests {
    static let summaries = [
        "rating_school_summary", "rating_summary", "rating_staff_summary", "rating_cohort_summary", "rating_year_group_summary",
        "feedback_summary", "feedback_overall_summary", "triangulation_summary",
        "rating_staff_overall_summary", "rating_staff_term_summary", "rating_cohort_staff_summary",
        "rating_year_group_staff_summary", "support_evidence", "support_evidence_term", "triangulation_year",
        "rating_month_summary", "triangulation_month", "triangulation_cohort_summary", "triangulation_year_group_summary",
        "feedback_cohort_summary", "feedback_year_group_summary", "support_evidence_cohort_term",
        "support_evidence_year_group_term", "feedback_activity_summary", "feedback_subject_summary",
        "feedback_subject_overall_summary", "feedback_activity_overall_summary", "rating_cohort_term_summary",
        "rating_year_group_term_summary", "rating_cohort_subject_summary", "rating_year_group_subject_summary",
        "rating_cohort_month_summary", "rating_year_group_month_summary",
    ]

    /// Rows that differ between each summary as maintained and as rebuilt (0 when they agree).
    func differences(_ connection: Connection) throws -> [String: Int] {
        for table in Self.summaries {
            try connection.execute(SQL(verbatim: "CREATE TEMP TABLE kept_\(table) AS SELECT * FROM qa.\(table)"))
        }
        try connection.execute("SELECT qa.refresh_summaries()")
        var out: [String: Int] = [:]
        for table in Self.summaries {
            out[table] = try connection.query(SQL(verbatim: """
                SELECT (SELECT count(*) FROM (SELECT * FROM kept_\(table) EXCEPT ALL SELECT * FROM qa.\(table)) a)
                     + (SELECT count(*) FROM (SELECT * FROM qa.\(table) EXCEPT ALL SELECT * FROM kept_\(table)) b) AS n
                """)).single().decode("n", as: Int.self)
            try connection.execute(SQL(verbatim: "DROP TABLE kept_\(table)"))
        }
        return out
    }

    @Test func summariesMatchAFullRebuildAfterNewChangedWithdrawnAndReinstatedRecords() throws {
        let connection = try TestDatabase.create().connect()
        // Feedback varies too: on time, late, none yet; and a record of a week ago (written feedback possibly
        // still pending whatever day the test runs, so the summary keeps its activity day).
        // The files are read as of the real today, so that last week's record is not in the future.
        let today = CalendarDate.today(), lastWeek = today.adding(days: -7).iso
        let asOfToday = loadOptions(today: today)
        let first = (1...12).map {
            evidenceRow("EV\($0)", school: $0 % 3 == 0 ? "Riverside High" : "Oakfield Academy", staff: "T\($0 % 4)",
                        observer: $0 % 2 == 0 ? "Head" : "Deputy",
                        activity: [1, 4, 7, 9].contains($0) ? "work_scrutiny" : "lesson_visit", subject: $0 % 2 == 0 ? "Maths" : "Art",
                        date: $0 == 12 ? lastWeek : $0 % 5 == 0 ? "2023-11-20" : "2023-03-14",
                        verbal: $0 % 5 == 0 || $0 == 12 ? "" : $0 % 4 == 1 ? "2023-03-15" : $0 % 4 == 2 ? "2023-03-28" : "",
                        written: $0 % 5 == 0 || $0 == 12 ? "" : $0 % 3 == 1 ? "2023-03-20" : "",
                        yearGroups: $0 % 2 == 0 ? "Y7;Y8" : "", cohorts: $0 % 3 == 0 ? "SEND;Boys" : "",
                        ratings: [1: "G", 7: $0 % 4 == 0 ? "R" : "A"], deepDive: [3, 9].contains($0) ? "DD-1" : "")
        }
        let firstFile = try csvFile(first)
        _ = try load(firstFile, into: connection, asOfToday)
        let empty = Dictionary(uniqueKeysWithValues: Self.summaries.map { ($0, 0) })
        #expect(try differences(connection) == empty)
        #expect(try connection.count("SELECT sum(n_red + n_amber + n_green + n_gold)::int AS n FROM qa.rating_summary") == 24)
        // Every record has an Amber or Red on standard 7, by a named staff member: one row each for cpd-needs.
        #expect(try connection.count("SELECT count(*)::int AS n FROM qa.support_evidence WHERE standard = 7") == 12)
        #expect(try connection.count("SELECT count(*)::int AS n FROM qa.support_evidence") == 12)
        // Seven groups (school, subject, deep dive, term) x two standards; three groups have two activities.
        #expect(try connection.count("SELECT count(*)::int AS n FROM qa.triangulation_summary") == 14)
        #expect(try connection.count(
            """
            SELECT count(*)::int AS n FROM qa.triangulation_summary
             WHERE lesson_visit_red + lesson_visit_amber + lesson_visit_green + lesson_visit_gold > 0
               AND work_scrutiny_red + work_scrutiny_amber + work_scrutiny_green + work_scrutiny_gold > 0
            """) == 6)
        // Those six are the year's triangulation (SQL/014): each group's standards rated by both activities.
        #expect(try connection.count("SELECT count(*)::int AS n FROM qa.triangulation_year") == 6)
        // Each record counted twice (verbal, written); only last week's record, still pending, keeps its day.
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_summary") == 24)
        #expect(try connection.count("SELECT count(*)::int AS n FROM qa.feedback_summary WHERE activity_idx IS NOT NULL") == 2)
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_overall_summary") == 24)
        #expect(try connection.count("SELECT count(*)::int AS n FROM qa.feedback_overall_summary WHERE activity_idx IS NOT NULL") == 2)
        // Per cohort (SQL/026): EV3, EV6, EV9 and EV12 under SEND and Boys, the other eight under unspecified; per
        // year group: the six even records under years 7 and 8, the six odd ones under none.
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_cohort_summary") == 32)
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_cohort_summary WHERE cohort = 'unspecified'") == 16)
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_year_group_summary") == 36)
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_year_group_summary WHERE year_group IS NULL") == 12)
        // Per activity (SQL/029): EV1, EV4, EV7 and EV9 under work scrutiny, the other eight under lesson visits.
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_activity_summary WHERE activity = 'work_scrutiny'") == 8)
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_activity_summary WHERE activity = 'lesson_visit'") == 16)
        #expect(try connection.count(
            "SELECT sum(n)::int AS n FROM qa.feedback_activity_overall_summary WHERE activity = 'work_scrutiny'") == 8)
        // Per subject (SQL/030): the six even records under Maths, the six odd ones under Art, by term and overall.
        #expect(try connection.count("""
            SELECT sum(n)::int AS n FROM qa.feedback_subject_summary WHERE subject_id = (SELECT subject_id FROM qa.subject WHERE name = 'Maths')
            """) == 12)
        #expect(try connection.count("""
            SELECT sum(n)::int AS n FROM qa.feedback_subject_overall_summary WHERE subject_id = (SELECT subject_id FROM qa.subject WHERE name = 'Art')
            """) == 12)
        // Overdue is judged as of the latest activity loaded, so a query as of any later day may read the summary.
        let asOf: SQL = "SELECT as_of::text AS d FROM qa.feedback_summary_state"
        #expect(try connection.query(asOf).single().decode("d", as: String.self) == lastWeek)

        // Changed ratings, a record moved to another school and term, and a new record.
        var second = first
        second[0] = evidenceRow("EV1", school: "Riverside High", staff: "T1", subject: "Maths", date: "2023-10-02",
                                verbal: "2023-10-03", ratings: [2: "G*"])
        second[4] = evidenceRow("EV5", staff: "T1", subject: "Art", date: "2023-11-20", cohorts: "EAL", ratings: [1: "R", 3: "R", 7: "A"])
        second.append(evidenceRow("EV13", school: "Hilltop Primary", ratings: [9: "G"]))
        let changed = try load(try csvFile(second), into: connection, asOfToday)
        #expect(changed.updated == 2)
        #expect(changed.inserted == 1)
        #expect(try differences(connection) == empty)

        // A snapshot without EV2 and EV3 withdraws them; then the first file brings them back.
        let snapshot = try load(try csvFile(second.enumerated().filter { $0.offset != 1 && $0.offset != 2 }.map(\.element)),
                                into: connection, loadOptions(snapshot: true, today: today))
        #expect(snapshot.withdrawn == 2)
        #expect(try differences(connection) == empty)
        let back = try load(firstFile, into: connection, asOfToday)
        #expect(back.updated == 4)
        #expect(try differences(connection) == empty)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.rating_summary WHERE n_red + n_amber + n_green + n_gold = 0") == 0)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.feedback_summary WHERE n <= 0") == 0)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.feedback_overall_summary WHERE n <= 0") == 0)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.feedback_cohort_summary WHERE n <= 0") == 0)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.feedback_year_group_summary WHERE n <= 0") == 0)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.feedback_activity_summary WHERE n <= 0") == 0)
        for table in ["feedback_subject_summary", "feedback_subject_overall_summary", "feedback_activity_overall_summary"] {
            #expect(try connection.count(SQL(verbatim: "SELECT count(*) AS n FROM qa.\(table) WHERE n <= 0")) == 0)
            #expect(try connection.count(SQL(verbatim: "SELECT sum(n)::int AS n FROM qa.\(table)")) == 26)
        }
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_summary") == 26)
        #expect(try connection.count("SELECT sum(n)::int AS n FROM qa.feedback_activity_summary") == 26)
        #expect(try connection.query(asOf).single().decode("d", as: String.self) == lastWeek)
    }
}

extension SummaryMaintenanceTests {
    /// An empty triangulation summary (SQL/010) or support-evidence table (SQL/012) is filled in one pass: from
    /// the load's own records only when every record in use was written by that load (a first load), else from
    /// every record, so records loaded before are never left out (here the table was emptied by hand after the
    /// first load). The per-term support evidence (SQL/013) is filled from the whole support-evidence table.
    /// Rows after the first load and after the second.
    /// The year's triangulation (SQL/014) is computed whole from the triangulation summary: the Art record of the
    /// second load triangulates with nothing, so the two rows are the first load's, computed again. The month table
    /// (SQL/017) is filled as the triangulation summary: the records fall in one month. So are the cohort and
    /// year-group tables (SQL/025): the records name none, one row per group and standard. The cohort and
    /// year-group counts by term and by subject (SQL/034) are filled from 004's cohort and year-group summaries, as
    /// when the migration adds them to a database with records: one row per standard, then two more for EV3. The
    /// cohort and year-group counts by month (SQL/035) are filled from every rating in use, the same rows.
    @Test(arguments: [("triangulation_summary", 2, 4), ("support_evidence", 3, 4), ("support_evidence_term", 2, 3),
                      ("triangulation_year", 2, 2), ("triangulation_month", 2, 4), ("triangulation_cohort_summary", 2, 4),
                      ("triangulation_year_group_summary", 2, 4), ("rating_cohort_term_summary", 2, 4),
                      ("rating_year_group_term_summary", 2, 4), ("rating_cohort_subject_summary", 2, 4),
                      ("rating_year_group_subject_summary", 2, 4), ("rating_cohort_month_summary", 2, 4),
                      ("rating_year_group_month_summary", 2, 4)])
    func anEmptyTableIsFilledFromEveryRecordUnlessTheLoadWroteThemAll(table: String, first: Int, second: Int) throws {
        let connection = try TestDatabase.create().connect()
        let rows = SQL(verbatim: "SELECT count(*)::int AS n FROM qa.\(table)")
        _ = try load(try csvFile([
            evidenceRow("EV1", ratings: [1: "G", 2: "A"]),
            evidenceRow("EV2", activity: "work_scrutiny", ratings: [1: "R", 2: "A"]),
        ]), into: connection)
        #expect(try connection.count(rows) == first)
        try connection.execute(SQL(verbatim: "TRUNCATE qa.\(table)"))
        _ = try load(try csvFile([evidenceRow("EV3", subject: "Art", ratings: [5: "R", 6: "G"])], name: "more.csv"), into: connection)
        #expect(try connection.count(rows) == second)
        #expect(try differences(connection)[table] == 0)
    }
}

/// The triangulation summary (SQL/010) and the support evidence (SQL/012) through generated loads: a first load,
/// then a snapshot of other content under the same ids (most records changed, 500 withdrawn). After each, the
/// queries read the same answers from them as from the base tables, and both equal a rebuild.
@Suite struct TriangulationSummaryLoadTests {
    func compareWithBaseTables(_ connection: Connection) throws {
        let year = try connection.count("SELECT max(academic_year)::int AS n FROM qa.evidence")
        let school = try connection.query("SELECT min(name) AS name FROM qa.school").single().decode("name", as: String.self)
        let subject = try connection.query("SELECT min(name) AS name FROM qa.subject").single().decode("name", as: String.self)
        let thisYear = AcademicYear(startYear: year)
        var filters: [(Filter, TriangulationSource)] = [
            (Filter(), .summary), (Filter(term: .summer), .summary), (Filter(academicYear: thisYear), .year),
            (Filter(academicYear: AcademicYear(startYear: year - 1)), .year),
            (Filter(school: school, academicYear: thisYear), .year), (Filter(subject: subject, academicYear: thisYear), .year),
            (Filter(academicYear: thisYear, term: .autumn), .summary), (Filter(school: school), .summary),
            (Filter(subject: subject, standard: .subjectKnowledge), .summary), (Filter(activity: .workScrutiny), .summary),
            (Filter(standard: .subjectKnowledge, academicYear: thisYear), .summary),
        ]
        // Dates: whole months and end days (SQL/017), alone and with other filters, within the records' days.
        func day(_ sql: SQL) throws -> CalendarDate? {
            let text = try connection.query(sql).single().decode("d", as: String.self)
            let parts = text.split(separator: "-").compactMap { Int($0) }
            return CalendarDate(year: parts[0], month: parts[1], day: parts[2])
        }
        let november = try day("SELECT (min(activity_date) + 45)::text AS d FROM qa.evidence")
        let march = try day("SELECT (max(activity_date) - 100)::text AS d FROM qa.evidence")
        let june = try day("SELECT (max(activity_date) - 10)::text AS d FROM qa.evidence")
        let range = { (from: CalendarDate?, to: CalendarDate?) in TriangulationSource.months(MonthRange(from: from, to: to)!) }
        filters += [
            (Filter(from: november, to: march), range(november, march)),
            (Filter(school: school, from: november), range(november, nil)),
            (Filter(standard: .subjectKnowledge, to: march), range(nil, march)),
            (Filter(activity: .lessonVisit, from: november, to: june), range(november, june)),
            (Filter(from: november, to: june, academicYear: thisYear), range(november, june)),
        ]
        // A cohort or a year group, from their tables (SQL/025), with the summary's other filters; with dates or with
        // both, from the base tables.
        let seven = try #require(YearGroup(number: 7))
        filters += [
            (Filter(cohort: "send", academicYear: thisYear), .cohorts), (Filter(cohort: "Unspecified"), .cohorts),
            (Filter(cohort: "Disadvantaged", academicYear: thisYear, term: .spring), .cohorts),
            (Filter(school: school, cohort: "EAL", standard: .subjectKnowledge), .cohorts),
            (Filter(cohort: "SEND", activity: .workScrutiny), .cohorts),
            (Filter(yearGroup: .group(seven), academicYear: thisYear), .yearGroups),
            (Filter(subject: subject, yearGroup: .unspecified, term: .autumn), .yearGroups),
            (Filter(cohort: "SEND", from: november, to: march), .baseTables),
            (Filter(cohort: "SEND", yearGroup: .group(seven)), .baseTables),
        ]
        for (filter, source) in filters {
            let summary = Triangulation(filter: filter)
            #expect(summary.source == source, "\(filter)")
            let rows = try summary.run(on: connection)
            #expect(rows == (try Triangulation(filter: filter, preference: .baseTables).run(on: connection)), "\(filter)")
            if filter == Filter() {
                // Enough to mean something: deep dives and other groups, and every verdict.
                #expect(rows.count > 500)
                #expect(rows.contains { $0.deepDive != nil } && rows.contains { $0.deepDive == nil })
                #expect(Set(rows.map(\.verdict)) == ["agree", "mixed", "conflict"])
            }
            // An activity filter leaves nothing to compare, with dates as without (and the first school by name
            // may have no records left after the second load).
            if case .months = source, filter.activity == nil, filter.school == nil { #expect(!rows.isEmpty, "\(filter)") }
            if source == .cohorts || source == .yearGroups, filter.activity == nil, filter.school == nil, filter.subject == nil {
                #expect(!rows.isEmpty, "\(filter)")
            }
            if filter == Filter(from: november, to: march) {
                #expect(rows.contains { $0.deepDive != nil } && rows.contains { $0.deepDive == nil })
            }
            if filter == Filter(academicYear: thisYear) {
                #expect(rows.contains { $0.deepDive != nil } && rows.contains { $0.deepDive == nil })
            }
        }
    }

    @Test func generatedLoadsKeepItEqualToTheBaseTables() throws {
        let connection = try TestDatabase.create().connect()
        let folder = try RepositoryPaths.temporaryFolder("triangulation")
        let first = folder.appendingPathComponent("first.csv").path, second = folder.appendingPathComponent("second.csv").path
        _ = try SampleWriter.write(SampleParameters(schools: 3, records: 3000, seed: 5), to: first)
        _ = try SampleWriter.write(SampleParameters(schools: 3, records: 2500, seed: 6), to: second)
        let one = try load(first, into: connection)
        #expect(one.inserted == 3000 && one.rejected == 0)
        try compareWithBaseTables(connection)
        try compareStaffLevelWithBaseTables(connection)
        let two = try load(second, into: connection, loadOptions(snapshot: true))
        #expect(two.withdrawn == 500 && two.rejected == 0)
        #expect(two.updated > 2000)
        try compareWithBaseTables(connection)
        try compareStaffLevelWithBaseTables(connection)
        try compareFeedbackWithBaseTables(connection)
        let differences = try SummaryMaintenanceTests().differences(connection)
        #expect(differences["triangulation_summary"] == 0 && differences["support_evidence"] == 0
                && differences["support_evidence_term"] == 0 && differences["triangulation_year"] == 0)
        #expect(differences["feedback_cohort_summary"] == 0 && differences["feedback_year_group_summary"] == 0
                && differences["feedback_activity_summary"] == 0 && differences["feedback_subject_summary"] == 0
                && differences["feedback_subject_overall_summary"] == 0 && differences["feedback_activity_overall_summary"] == 0)
    }

    /// The month tables (read by ranges of their key, month first) are filled in their key's order (SQL/037), by a
    /// first load and by a rebuild: rows read in the key's order lie one after another in the table (all but 1%).
    @Test func monthTablesAreFilledInTheirKeysOrder() throws {
        let connection = try TestDatabase.create().connect()
        let file = try RepositoryPaths.temporaryFolder("month-order").appendingPathComponent("records.csv").path
        _ = try SampleWriter.write(SampleParameters(schools: 3, records: 2000, seed: 9), to: file)
        #expect(try load(file, into: connection).inserted == 2000)
        let keys = [
            "rating_month_summary": "month, school_id, subject_id, activity, academic_year, term, standard",
            "rating_cohort_month_summary": "month, school_id, academic_year, term, standard, cohort",
            "rating_year_group_month_summary": "month, school_id, academic_year, term, standard, year_group",
            "triangulation_month": "month, school_id, subject_id, deep_dive_id, academic_year, term, standard",
        ]
        for rebuilt in [false, true] {
            if rebuilt { try connection.execute("SELECT qa.refresh_summaries()") }
            for (table, key) in keys.sorted(by: { $0.key < $1.key }) {
                let (rows, outOfPlace) = try (
                    connection.count(SQL(verbatim: "SELECT count(*)::int AS n FROM qa.\(table)")),
                    connection.count(SQL(verbatim: """
                        SELECT count(*)::int AS n FROM (SELECT ctid < lag(ctid) OVER (ORDER BY \(key)) AS before
                                                          FROM qa.\(table)) x WHERE before
                        """)))
                // A few may lie out of place: a shorter row goes where an earlier page still has room. Filled in the
                // month's order only, about half did.
                #expect(rows > 200 && outOfPlace * 100 <= rows, "\(table) rebuilt \(rebuilt): \(outOfPlace) of \(rows)")
            }
        }
    }

    /// Feedback for a cohort, a year group or an activity from the tables per cohort and year group (SQL/026) and
    /// per activity (SQL/029) as the loads kept them, and from the base tables: on the last day loaded and a week
    /// before it (corrected for that day).
    func compareFeedbackWithBaseTables(_ connection: Connection) throws {
        let year = AcademicYear(startYear: try connection.count("SELECT max(academic_year)::int AS n FROM qa.evidence"))
        let last: Int = try connection.count("SELECT (max(activity_date) - '1970-01-01')::int AS n FROM qa.evidence")
        let lastDay = CalendarDate(daysSinceEpoch: last)
        let subject = try connection.query("SELECT min(name) AS name FROM qa.subject").single().decode("name", as: String.self)
        let filters = [
            Filter(cohort: "send"), Filter(cohort: "Unspecified", academicYear: year), Filter(cohort: "disadvantaged", term: .spring),
            Filter(yearGroup: .group(try #require(YearGroup(number: 7))), academicYear: year), Filter(yearGroup: .unspecified),
            Filter(activity: .lessonVisit), Filter(activity: .workScrutiny, academicYear: year),
            Filter(subject: subject), Filter(subject: subject.uppercased(), academicYear: year, term: .spring),
        ]
        for filter in filters {
            for today in [lastDay, lastDay.adding(days: -7)] {
                let kept = FeedbackTimeliness(filter: filter, today: today)
                let everyYear = filter.academicYear == nil && filter.term == nil
                #expect(kept.summary == (filter.cohort != nil ? .cohorts : filter.yearGroup != nil ? .yearGroups
                    : filter.activity != nil ? (everyYear ? .activitiesOverall : .activities)
                    : everyYear ? .subjectsOverall : .subjects))
                let rows = try kept.run(on: connection)
                #expect(rows.count > 3, "\(filter)")
                #expect(rows == (try FeedbackTimeliness(filter: filter, today: today, preference: .baseTables).run(on: connection)),
                        "\(filter) \(today.iso)")
            }
        }
    }

    /// cpd-needs' staff level from qa.support_evidence_term (SQL/013) or qa.support_evidence (SQL/012), and from
    /// every rating joined to its record.
    func compareStaffLevelWithBaseTables(_ connection: Connection) throws {
        let year = try connection.count("SELECT max(academic_year)::int AS n FROM qa.evidence")
        let school = try connection.query("SELECT min(name) AS name FROM qa.school").single().decode("name", as: String.self)
        let subject = try connection.query("SELECT min(name) AS name FROM qa.subject").single().decode("name", as: String.self)
        let january = try #require(CalendarDate(year: year + 1, month: 1, day: 1))
        let june = try #require(CalendarDate(year: year + 1, month: 6, day: 30))
        let february = try #require(CalendarDate(year: year + 1, month: 2, day: 1))
        let filters: [(Filter, CPDNeeds.StaffSource)] = [
            (Filter(), .terms), (Filter(academicYear: AcademicYear(startYear: year)), .terms),
            (Filter(academicYear: AcademicYear(startYear: year), term: .spring), .terms), (Filter(school: school), .ratings),
            (Filter(subject: subject, standard: .subjectKnowledge), .ratings), (Filter(activity: .lessonVisit), .ratings),
            (Filter(from: january, to: june), .ratings), (Filter(termContaining: february), .terms),
            // A cohort or year group with a year or term, or none: the term tables per cohort and year group (SQL/027).
            (Filter(cohort: "send", academicYear: AcademicYear(startYear: year)), .cohortTerms),
            (Filter(cohort: "Disadvantaged", termContaining: february), .cohortTerms), (Filter(cohort: "EAL"), .cohortTerms),
            (Filter(cohort: "unspecified", academicYear: AcademicYear(startYear: year)), .cohortTerms),
            (Filter(yearGroup: .group(try #require(YearGroup(number: 7))), academicYear: AcademicYear(startYear: year)), .yearGroupTerms),
            (Filter(yearGroup: .unspecified), .yearGroupTerms),
            // With a school, from the record's arrays that qa.support_evidence keeps (SQL/022).
            (Filter(school: school, cohort: "send"), .ratings),
            // Dates split into whole terms (from a term table) and the rest (from qa.support_evidence): a cohort's,
            // a range open at one end, whole terms by the default dates.
            (Filter(cohort: "unspecified", from: january, to: june), .wholeTermsAndRatings),
            (Filter(from: february), .wholeTermsAndRatings),
            (Filter(from: AcademicYear(startYear: year).firstDay, to: CalendarDate(year: year + 1, month: 3, day: 31)), .wholeTermsAndRatings),
        ]
        for (filter, source) in filters {
            let kept = CPDNeeds(filter: filter)
            #expect(kept.staffSource == source, "\(filter)")
            let staff = try kept.run(on: connection).staff
            #expect(staff == (try CPDNeeds(filter: filter, preference: .baseTables).run(on: connection).staff), "\(filter)")
            if filter == Filter() || filter.cohort == "EAL" || filter.yearGroup != nil { #expect(staff.count > 5, "\(filter)") }
        }
    }
}
