import Foundation
import QACore
import QAExport
import QAQuery
import TestSupport
import Testing

@Suite struct ExportFileTests {
    static let datasets = [
        "distribution_by_standard", "distribution_by_standard_school", "distribution_by_standard_subject",
        "distribution_by_standard_cohort", "distribution_by_standard_year_group", "distribution_by_standard_activity",
        "trend_by_term", "cpd_priorities", "feedback_by_school", "coverage_gaps",
    ]

    func schema(_ name: String) throws -> JSONSchemaValidator {
        let url = RepositoryPaths.root.appendingPathComponent("Dashboards/schema/\(name).schema.json")
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any]
        return JSONSchemaValidator(schema: try #require(object))
    }

    @Test func everyFileParsesValidatesAndMatchesTheManifest() throws {
        let fixture = try ExportFixture.shared.get()
        let (out, result) = try fixture.export()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == out.appendingPathComponent("dashboard.html").path + "\n")
        let set = ExportFolderContents(url: out)
        #expect(set.files == (Self.datasets.flatMap { ["\($0).csv", "\($0).json"] } + ["dashboard.html", "manifest.json"]).sorted())
        // No staging or old folders are left beside the set.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(siblings == ["set"])

        let manifest = set.manifest
        #expect(try schema("manifest").errors(manifest) == [])
        #expect(manifest["contains_personal_data"] as? Bool == false)
        #expect((manifest["suppression"] as? [String: Any])?["suppress_below"] as? Int == 5)
        let asOf = try #require(manifest["data_as_of"] as? [String: Any])
        #expect(asOf["batch_id"] as? Int == 2 && asOf["file_name"] as? String == "injection.csv")
        let entries = try #require(manifest["files"] as? [[String: Any]])
        #expect(entries.count == Self.datasets.count * 2 + 1)
        for entry in entries {
            let path = try #require(entry["path"] as? String)
            var hash = SHA256()
            hash.update([UInt8](try set.data(path)))
            #expect(entry["sha256"] as? String == hash.finishHex(), "\(path)")
            if path.hasSuffix(".json") {
                #expect(try set.rows(String(path.dropLast(5))).count == entry["rows"] as? Int, "\(path)")
            }
        }
        for name in Self.datasets {
            let rows = try set.rows(name)
            #expect(try schema(name).errors(rows) == [], "\(name)")
            #expect(!rows.isEmpty || name == "cpd_priorities", "\(name) is empty")
            let csv = try StrictCSVReader.rows(try set.text("\(name).csv"))
            let header = try #require(csv.first)
            #expect(csv.count == rows.count + 1, "\(name)")
            #expect(csv.allSatisfy { $0.count == header.count }, "\(name)")
            // The CSV's columns are the JSON's keys: the schema requires exactly these, listed in column order.
            #expect(try schema(name).required == header, "\(name)")
            #expect(!(try set.text("\(name).csv")).contains("\r\n"), "plain CSV has LF line ends")
        }
    }

    @Test func distributionsMatchTheQueryCommandsJSON() throws {
        let fixture = try ExportFixture.shared.get()
        let (out, _) = try fixture.export(["--suppress-below", "0"])
        let exported = try ExportFolderContents(url: out).rows("distribution_by_standard_school")
        let query = try runTool(["query", "distribution", "--by", "standard,school", "--format", "json", "--database", fixture.conninfo])
        let queried = try #require(try JSONSerialization.jsonObject(with: Data(query.stdout.utf8)) as? [[String: Any]])
        #expect(exported.count == queried.count)
        for (e, q) in zip(exported, queried) {
            for (key, value) in q {
                #expect("\(e[key] ?? "missing")" == "\(value)", "\(key)")
            }
            #expect(e["suppressed"] as? Bool == false)
        }
    }

    /// With a cohort filter every distribution reads the base tables, on the export's second connection; the
    /// CPD trust rows are judged on those counts, so they must be there when the trust rows are built.
    @Test func aFilteredExportJudgesTheTrustRowsOnTheFilteredCounts() throws {
        let fixture = try ExportFixture.shared.get()
        let (hidden, hiddenResult) = try fixture.export(["--cohort", "SEND", "--suppress-below", "100000"])
        #expect(hiddenResult.status == 0, "\(hiddenResult.stderr)")
        let hiddenTrust = try ExportFolderContents(url: hidden).rows("cpd_priorities").filter { $0["level"] as? String == "trust" }
        #expect(hiddenTrust.count == 12)
        #expect(hiddenTrust.allSatisfy { $0["n"] is NSNull && $0["amber_red_pct"] is NSNull })

        let (open, openResult) = try fixture.export(["--cohort", "SEND", "--suppress-below", "0"])
        #expect(openResult.status == 0, "\(openResult.stderr)")
        try expectTrustRowsCountAsTheDistribution(ExportFolderContents(url: open))
    }

    /// Dates read whole months from the month summary and the days at the range's ends from the base tables.
    /// cpd-needs shares one read of those counts in a temporary table elsewhere; PostgreSQL makes no tables in the
    /// export's read-only snapshot, so there each level reads them itself, and the trust rows count the same days.
    @Test func anExportByDatesCountsTheTrustRowsOnThoseDays() throws {
        let fixture = try ExportFixture.shared.get()
        let (out, result) = try fixture.export(["--from", "2024-01-15", "--to", "2024-05-14", "--suppress-below", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        try expectTrustRowsCountAsTheDistribution(ExportFolderContents(url: out))
    }

    /// CPD's 12 trust rows count, standard by standard, the ratings of the set's distribution by standard.
    func expectTrustRowsCountAsTheDistribution(_ set: ExportFolderContents) throws {
        var byStandard: [Int: Int] = [:]
        for row in try set.rows("distribution_by_standard") {
            byStandard[try #require(row["standard"] as? Int)] = row["n"] as? Int
        }
        let trust = try set.rows("cpd_priorities").filter { $0["level"] as? String == "trust" }
        #expect(trust.count == 12)
        for row in trust {
            let standard = try #require(row["standard"] as? Int)
            #expect(row["n"] as? Int == byStandard[standard], "standard \(standard)")
            #expect((row["n"] as? Int ?? 0) > 0)
        }
    }

    @Test func excelGetsABOMAndCRLFAndSuppressionCanBeTurnedOff() throws {
        let fixture = try ExportFixture.shared.get()
        let (out, result) = try fixture.export(["--excel", "--suppress-below", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        let set = ExportFolderContents(url: out)
        let bytes = [UInt8](try set.data("distribution_by_standard.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = try set.text("distribution_by_standard.csv")
        #expect(text.components(separatedBy: "\r\n").count == 14)  // header, 12 standards, and the end
        let suppression = try #require(set.manifest["suppression"] as? [String: Any])
        #expect(suppression["enabled"] as? Bool == false && suppression["suppress_below"] as? Int == 0)
        for name in Self.datasets {
            #expect(try set.rows(name).allSatisfy { $0["suppressed"] as? Bool == false }, "\(name)")
        }
    }

    /// A value holding a Windows line break is quoted, so a spreadsheet keeps the row whole; a formula is neutralised.
    @Test func aWindowsLineBreakInsideAValueIsQuoted() {
        let table = ExportTable(
            name: "t", table: ResultTable(columns: [Column("school"), Column("n")],
                                          rows: [[.text("Oak\r\nfield"), .integer(12)], [.text("=1+1"), .integer(3)]]),
            measures: ["n"])
        #expect(CSVFile.render(table, excel: false)
                == "school,n,suppressed\n\"Oak\r\nfield\",12,false\n'=1+1,3,false\n")
    }

    @Test func aFolderThatIsNotAnExportIsNotReplaced() throws {
        let fixture = try ExportFixture.shared.get()
        let folder = try RepositoryPaths.temporaryFolder("export-keep")
        try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let result = try runTool(["export", "--database", fixture.conninfo, "--out", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not an earlier export"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
        // An earlier export is replaced whole.
        let (out, first) = try fixture.export()
        #expect(first.status == 0)
        let again = try runTool(["export", "--database", fixture.conninfo, "--out", out.path, "--school", "Oakfield Academy"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect((ExportFolderContents(url: out).manifest["filters"] as? [String: String]) == ["school": "Oakfield Academy"])
    }
}
