import Postgres
import QACore
import QAQuery
import Testing

/// What the exporter needs from the query library: distinct staff per group, the CPD levels without staff,
/// the last successful load and whether the role may read staff names.
@Suite struct ExportSupportTests {
    func staff(_ f: Fixture, _ dims: [Dimension], _ preference: CountSource.Preference = .automatic) throws -> [String] {
        try Distribution(by: dims, staffCount: true, preference: preference).run(on: f.connection).map { r in
            r.groups.map(\.description).joined(separator: "/") + ": \(r.n) ratings \(r.nStaff ?? -1) staff"
        }
    }

    @Test func distinctStaffPerGroupFromSummariesAndBaseTablesAlike() throws {
        let f = try standardFixture()
        let byStandard = ["1: 3 ratings 3 staff", "2: 1 ratings 1 staff", "5: 5 ratings 3 staff", "6: 1 ratings 1 staff", "7: 1 ratings 1 staff"]
        #expect(try staff(f, [.standard]) == byStandard)
        #expect(try staff(f, [.standard], .baseTables) == byStandard)
        #expect(try staff(f, [.cohort]) == ["Boys: 3 ratings 1 staff", "Girls: 2 ratings 1 staff", "SEND: 6 ratings 2 staff", "unspecified: 3 ratings 2 staff"])
        #expect(try staff(f, [.school]) == ["Oakfield Academy: 7 ratings 2 staff", "Riverside School: 4 ratings 1 staff"])
        #expect(Distribution(by: [.standard, .school], staffCount: true).source == .summary(.staffOverallSummary))
        #expect(Distribution(by: [.standard, .cohort], staffCount: true).source == .summary(.cohortStaffSummary))
        #expect(Distribution(by: [.standard, .yearGroup], staffCount: true).source == .summary(.yearGroupStaffSummary))
        #expect(Distribution(by: [.academicYear, .term], staffCount: true).source == .summary(.staffTermSummary))
        #expect(Distribution(by: [.standard, .school], filter: Filter(academicYear: AcademicYear(startYear: 2022)), staffCount: true)
            .source == .summary(.staffSummary))
        let table = Distribution(by: [.standard], staffCount: true).table(try Distribution(by: [.standard], staffCount: true).run(on: f.connection))
        #expect(table.columns.map(\.name).prefix(3) == ["standard", "n", "n_staff"])
        #expect(table.records.first?["n_staff"] == .integer(3))
        // Without the option nothing changes: no column, no value.
        let plain = try Distribution(by: [.standard]).run(on: f.connection)
        #expect(plain.allSatisfy { $0.nStaff == nil })
        #expect(!Distribution(by: [.standard]).table(plain).columns.contains { $0.name == "n_staff" })
    }

    /// Every grouping the export counts staff for gives the same answer from the summaries (SQL/011 among them) as
    /// from the base tables, with and without a filter.
    @Test func everyExportGroupingCountsTheSameStaffFromSummariesAndBaseTables() throws {
        let f = try standardFixture()
        let groupings: [[Dimension]] = [
            [.standard], [.standard, .school], [.standard, .subject], [.standard, .cohort], [.standard, .yearGroup],
            [.standard, .activity], [.academicYear, .term], [.school], [.school, .subject, .standard],
        ]
        var summaries: Set<String> = []
        for dims in groupings {
            for filter in [Filter(), Filter(school: "Oakfield Academy"), Filter(academicYear: AcademicYear(startYear: 2022))] {
                let auto = Distribution(by: dims, filter: filter, staffCount: true)
                if case .summary(let table) = auto.source { summaries.insert(table.rawValue) }
                #expect(try auto.run(on: f.connection)
                        == Distribution(by: dims, filter: filter, staffCount: true, preference: .baseTables).run(on: f.connection),
                        "\(dims) \(filter)")
            }
        }
        #expect(summaries == [
            "rating_staff_overall_summary", "rating_staff_term_summary", "rating_cohort_staff_summary",
            "rating_year_group_staff_summary", "rating_staff_summary",
        ])
    }

    @Test func cpdNeedsCanSkipTheStaffLevel() throws {
        let f = try standardFixture()
        let all = try CPDNeeds(minimumRatings: 2).run(on: f.connection)
        let groups = try CPDNeeds(minimumRatings: 2).run(on: f.connection, staffLevel: false)
        #expect(!all.staff.isEmpty)
        #expect(groups.staff.isEmpty)
        #expect(groups.schools == all.schools && groups.subjects == all.subjects && groups.trust == all.trust)
    }

    @Test func lastLoadIsTheLatestSuccessfulOne() throws {
        let f = try standardFixture()
        #expect(try LastLoad.latest(on: f.connection) == nil)  // the fixture's batch is still running
        try f.connection.execute(
            "UPDATE qa.load_batch SET status = 'succeeded', finished_at = '2025-05-12 02:14:07+00' WHERE batch_id = \(f.batch)")
        try f.connection.execute(
            """
            INSERT INTO qa.load_batch (source, file_name, format, status, finished_at)
            VALUES ('test', 'later-but-failed.csv', 'csv', 'failed', '2025-05-13 02:00:00+00')
            """)
        #expect(try LastLoad.latest(on: f.connection)
                == LastLoad(batchID: f.batch, source: "test", fileName: "fixture.csv", finishedAt: "2025-05-12T02:14:07Z"))
    }

    @Test func staffNamesAreReadableByLeadersNotAnalysts() throws {
        let f = try standardFixture()
        #expect(try StaffNameAccess.allowed(on: f.connection))
        try f.connection.execute("SET ROLE qa_analyst")
        #expect(try !StaffNameAccess.allowed(on: f.connection))
        try f.connection.execute("SET ROLE qa_trust_leader")
        #expect(try StaffNameAccess.allowed(on: f.connection))
        try f.connection.execute("RESET ROLE")
    }
}
