import Foundation
import Postgres
@testable import QAExport
import QACore
@testable import QAQuery
import TestSupport
import Testing

/// CPD subject rows are parts of their school × standard cell (`DatasetBuilder`): a shown school cell must never
/// have exactly one part hidden for being small, or its count would be the school's n less the shown parts'.
@Suite struct SubjectCellLinkTests {
    @Test func aLoneSmallSubjectCellTakesTheNextSmallestWithIt() throws {
        let fixture = try ExportFixture.shared.get()
        let connection = try Connection(fixture.conninfo)
        try QuerySettings.apply(to: connection)
        let request = ExportRequest(
            directory: fixture.folder.appendingPathComponent("unused"), suppressBelow: 5,
            asOf: try #require(CalendarDate(year: 2025, month: 5, day: 12)))
        var answers = try ExportAnswers(request: request, connection: connection)
        // One school × standard cell, large, whose three subject cells are all flagged: Art is too small to show.
        let schoolName = "distribution_by_standard_school"
        var schoolRows = try #require(answers.distributions[schoolName])
        let cell = try #require(schoolRows.rows.first)
        let standard = cell.groups[0], school = cell.groups[1]
        schoolRows.rows[0].n = 100
        schoolRows.rows[0].nStaff = 20
        answers.distributions[schoolName] = schoolRows
        func part(_ subject: String, _ n: Int, _ staff: Int) -> DistributionRow {
            var row = cell
            row.groups = [school, .name(subject), standard]
            row.n = n
            row.nStaff = staff
            return row
        }
        answers.subjectCells = [part("Maths", 60, 10), part("English", 38, 8), part("Art", 2, 1)]
        guard case .number(let number) = standard else { Issue.record("standard \(standard)"); return }
        answers.cpd.result.subjects = ["Maths", "English", "Art"].map {
            GroupNeed(school: school.description, subject: $0, standard: number, n: 10, amberRed: 5, amberRedPct: 50,
                      trustAmberRedPct: 30, gapPct: 20)
        }

        let tables = DatasetBuilder(answers: answers, minimum: 5, includeStaff: false).build()
        let cpd = try #require(tables.first { $0.name == DatasetName.cpdPriorities })
        let shown = cpd.table.rows.indices.filter { cpd.value($0, "level") == .text("subject") }
            .compactMap { cpd.value($0, "subject")?.description }
        // Art is suppressed; English, the next smallest, goes with it, so that Art's count cannot be worked out.
        #expect(shown == ["Maths"])
    }
}
