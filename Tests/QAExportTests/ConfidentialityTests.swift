import Foundation
import Postgres
import QAExport
import TestSupport
import Testing

@Suite struct ConfidentialityTests {
    static let breakdowns = [
        ("distribution_by_standard_school", "school"), ("distribution_by_standard_subject", "subject"),
        ("distribution_by_standard_cohort", "cohort"), ("distribution_by_standard_year_group", "year_group"),
        ("distribution_by_standard_activity", "activity"),
    ]

    @Test func noShownGroupIsSmallAndNoSuppressedGroupCanBeRecovered() throws {
        let fixture = try ExportFixture.shared.get()
        let (out, result) = try fixture.export()
        #expect(result.status == 0, "\(result.stderr)")
        let set = ExportFolderContents(url: out)
        var suppressedSeen = 0
        for name in ["distribution_by_standard", "trend_by_term"] + Self.breakdowns.map(\.0) {
            for row in try set.rows(name) {
                if row["suppressed"] as? Bool == true {
                    suppressedSeen += 1
                    #expect(row["n"] is NSNull && row["n_staff"] is NSNull && row["good_or_better_pct"] is NSNull, "\(name)")
                } else {
                    #expect((row["n"] as? Int ?? 0) >= 5 && (row["n_staff"] as? Int ?? 0) >= 5, "\(name) \(row)")
                }
            }
        }
        #expect(suppressedSeen > 0, "the fixture must exercise suppression")
        // Under each standard, the trust row and each breakdown's rows: never exactly one suppressed.
        let trust = try set.rows("distribution_by_standard")
        for t in trust {
            let standard = t["standard"] as? Int
            for (name, _) in Self.breakdowns {
                let children = try set.rows(name).filter { $0["standard"] as? Int == standard }
                let suppressed = ([t] + children).filter { $0["suppressed"] as? Bool == true }.count
                #expect(suppressed != 1, "standard \(standard ?? 0) in \(name)")
                // A visible total with visible parts: the parts add up to at most the total (cohorts overlap).
                if suppressed == 0, name != "distribution_by_standard_cohort", name != "distribution_by_standard_year_group" {
                    #expect(children.reduce(0) { $0 + ($1["n"] as? Int ?? 0) } == t["n"] as? Int, "\(name)")
                }
            }
        }
        // The terms and the standards both add up to every rating: never exactly one suppressed across both.
        let terms = try set.rows("trend_by_term")
        #expect((trust + terms).filter { $0["suppressed"] as? Bool == true }.count != 1)
        // CSV shows c for every count and share of a suppressed row.
        let csv = try StrictCSVReader.rows(try set.text("distribution_by_standard_subject.csv"))
        let header = csv[0]
        for row in csv.dropFirst() where row.last == "true" {
            let n = try #require(header.firstIndex(of: "n")), share = try #require(header.firstIndex(of: "good_or_better_pct"))
            #expect(row[n] == "c" && row[share] == "c" && row[header.firstIndex(of: "gold") ?? 0] == "c")
        }
        // Feedback and CPD rows that are shown are not small either.
        for row in try set.rows("feedback_by_school") where row["suppressed"] as? Bool == false {
            #expect((row["records"] as? Int ?? 0) >= 5)
        }
        for row in try set.rows("cpd_priorities") {
            #expect(row["staff"] is NSNull && row["evidence_ids"] is NSNull)
        }
    }

    @Test func aFormulaNeverReachesACSVCellRaw() throws {
        let fixture = try ExportFixture.shared.get()
        let (out, result) = try fixture.export(["--suppress-below", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        let set = ExportFolderContents(url: out)
        var neutralised = 0
        for file in set.files where file.hasSuffix(".csv") {
            for row in try StrictCSVReader.rows(try set.text(file)) {
                for cell in row {
                    guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else {
                        if cell.hasPrefix("'=") || cell.hasPrefix("'+") { neutralised += 1 }
                        continue
                    }
                    #expect(Double(cell) != nil, "\(file): \(cell)")
                }
            }
            let text = try set.text(file)
            #expect(!text.contains("=1+1") && !text.contains("@SUM"), "free text must not be exported: \(file)")
        }
        #expect(neutralised > 0)
        let schools = try StrictCSVReader.rows(try set.text("distribution_by_standard_school.csv")).map { $0[1] }
        #expect(schools.contains("'" + ExportFixture.injectionSchool))
        let subjects = try StrictCSVReader.rows(try set.text("distribution_by_standard_subject.csv")).map { $0[1] }
        #expect(subjects.contains("'" + ExportFixture.injectionSubject))
        // JSON carries the names exactly as loaded.
        #expect(try set.rows("distribution_by_standard_school").contains { $0["school"] as? String == ExportFixture.injectionSchool })
    }

    @Test func staffLevelNeedsARoleThatMayReadNames() throws {
        let fixture = try ExportFixture.shared.get()
        let (out, result) = try fixture.export(["--include-staff"])
        #expect(result.status == 0, "\(result.stderr)")
        let set = ExportFolderContents(url: out)
        #expect(set.manifest["contains_personal_data"] as? Bool == true)
        let staff = try set.rows("cpd_staff_candidates")
        #expect(!staff.isEmpty && staff.allSatisfy { $0["level"] as? String == "staff" && $0["staff"] is String })
        // An analyst (no names) is refused, and nothing is written.
        let login = "qa_export_analyst_\(getpid())"
        let admin = try Connection(try TestDatabase.serverConninfo())
        try admin.execute(SQL(verbatim: "DROP ROLE IF EXISTS \(quotedIdentifier(login))"))
        try admin.execute(SQL(verbatim: "CREATE ROLE \(quotedIdentifier(login)) LOGIN IN ROLE qa_analyst"))
        defer { _ = try? admin.execute(SQL(verbatim: "DROP ROLE IF EXISTS \(quotedIdentifier(login))")) }
        let (refusedOut, refused) = try fixture.export(["--include-staff"], conninfo: "\(fixture.conninfo) user=\(login)")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--include-staff refused"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: refusedOut.path))
    }

    @Test func secondarySuppressionProtectsALoneSuppressedCell() {
        typealias Cell = Suppression.Cell
        var s = Suppression(minimum: 5)
        s.add(Cell("trust", 0), ratings: 40, staff: 12)
        s.add(Cell("school", 0), ratings: 20, staff: 6)
        s.add(Cell("school", 1), ratings: 12, staff: 5)
        s.add(Cell("school", 2), ratings: 6, staff: 2)  // too few staff
        s.add(Cell("school", 3), ratings: 2, staff: 2)  // too few ratings
        s.link([Cell("trust", 0), Cell("school", 0), Cell("school", 1), Cell("school", 2), Cell("school", 3)])
        s.complete()
        // Two suppressed already: nothing more.
        #expect(s.suppressed == [Cell("school", 2), Cell("school", 3)])

        var t = Suppression(minimum: 5)
        t.add(Cell("trust", 0), ratings: 40, staff: 12)
        t.add(Cell("school", 0), ratings: 22, staff: 6)
        t.add(Cell("school", 1), ratings: 12, staff: 5)
        t.add(Cell("school", 2), ratings: 6, staff: 3)
        t.add(Cell("subject", 0), ratings: 30, staff: 9)
        t.add(Cell("subject", 1), ratings: 10, staff: 6)
        t.link([Cell("trust", 0), Cell("school", 0), Cell("school", 1), Cell("school", 2)])
        t.link([Cell("trust", 0), Cell("subject", 0), Cell("subject", 1)])
        t.complete()
        // The next smallest school is suppressed too; the subjects stay shown.
        #expect(t.suppressed == [Cell("school", 2), Cell("school", 1)])

        // A part not published for another reason (hidden) keeps a lone suppressed part unknowable; a lone hidden
        // part needs no protection.
        var h = Suppression(minimum: 5)
        h.add(Cell("school", 0), ratings: 30, staff: 8)
        h.add(Cell("subject", 0), ratings: 3, staff: 1)
        h.add(Cell("subject", 1), ratings: 20, staff: 6)
        h.add(Cell("subject", 2), ratings: 7, staff: 5)
        h.hide(Cell("subject", 1))
        h.link([Cell("school", 0), Cell("subject", 0), Cell("subject", 1), Cell("subject", 2)])
        var lone = Suppression(minimum: 5)
        lone.add(Cell("school", 0), ratings: 6, staff: 6)
        lone.add(Cell("subject", 0), ratings: 6, staff: 6)
        lone.hide(Cell("subject", 0))
        lone.link([Cell("school", 0), Cell("subject", 0)])
        h.complete()
        lone.complete()
        #expect(h.suppressed == [Cell("subject", 0)])
        #expect(lone.suppressed.isEmpty)

        var off = Suppression(minimum: 0)
        off.add(Cell("school", 0), ratings: 1, staff: 1)
        off.complete()
        #expect(off.suppressed.isEmpty)
    }
}
