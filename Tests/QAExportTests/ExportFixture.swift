import Foundation
import Postgres
import TestSupport

/// One database with generated evidence (loaded by the built binary) plus six records whose names and free text
/// are spreadsheet formulas, shared by the export tests; each test exports into its own folder.
final class ExportFixture: Sendable {
    let conninfo: String
    let folder: URL

    static let shared = Result { try ExportFixture() }

    static let injectionSchool = "=HYPERLINK(\"http://evil.example\",\"x\")"
    static let injectionSubject = "+cmd|' /C calc'!A0"

    init() throws {
        let database = try TestDatabase.create()
        conninfo = database.conninfo
        folder = try RepositoryPaths.temporaryFolder("export")
        let sample = folder.appendingPathComponent("sample.csv").path
        let generated = try runTool(["generate", "--schools", "4", "--records", "2500", "--seed", "7", "--out", sample])
        guard generated.status == 0 else { throw FixtureError(text: generated.stderr) }
        let loaded = try runTool(["load", "--database", conninfo, sample])
        guard loaded.status == 0 else { throw FixtureError(text: loaded.stderr) }
        // Six staff at a school named as a formula, rated with formulas in every free-text field.
        var csv = "evidence_id,school,school_urn,staff_id,staff_name,staff_role,observer,activity,subject,date,"
            + "verbal_feedback_date,written_feedback_date,year_groups,cohorts,S1,S2,S3,S4,S5,S6,S7,S8,S9,S10,S11,S12,"
            + "strengths,areas_for_development,next_steps,deep_dive_id\n"
        for i in 1...6 {
            csv += "EVX\(i),\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",999001,TX\(i),@Eve \(i),Class teacher,-Obs,"
                + "lesson_visit,+cmd|' /C calc'!A0,2024-01-1\(i),2024-01-1\(i),2024-01-1\(i),Y7,SEND,"
                + "G,G,A,,,,,,,,,,\"=1+1\",-2+3,@SUM(1+1),\n"
        }
        let injection = folder.appendingPathComponent("injection.csv")
        try Data(csv.utf8).write(to: injection)
        let injected = try runTool(["load", "--database", conninfo, injection.path])
        guard injected.status == 0 else { throw FixtureError(text: injected.stderr) }
    }

    /// Runs `qa-analytics export` into a new folder and returns the folder and the command's result.
    func export(_ arguments: [String] = [], conninfo: String? = nil) throws -> (URL, CommandResult) {
        let out = try RepositoryPaths.temporaryFolder("export-out").appendingPathComponent("set")
        let result = try runTool(
            ["export", "--database", conninfo ?? self.conninfo, "--out", out.path, "--as-of", "2025-05-12"] + arguments)
        return (out, result)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}

/// Reads an export folder's files for the tests.
struct ExportFolderContents {
    let url: URL

    func data(_ name: String) throws -> Data { try Data(contentsOf: url.appendingPathComponent(name)) }
    func text(_ name: String) throws -> String { String(decoding: try data(name), as: UTF8.self) }

    func json(_ name: String) throws -> Any { try JSONSerialization.jsonObject(with: try data(name), options: [.fragmentsAllowed]) }

    func rows(_ dataset: String) throws -> [[String: Any]] { (try json("\(dataset).json") as? [[String: Any]]) ?? [] }

    var manifest: [String: Any] { ((try? json("manifest.json")) as? [String: Any]) ?? [:] }

    var files: [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path).sorted()) ?? [] }
}
