import Foundation
import Postgres
import QACore
import QAQuery

/// `qa-analytics export`: runs the queries once, builds the datasets with suppression, writes CSV, JSON,
/// the dashboard and the manifest into a staging folder, and renames it into place.
public struct Exporter {
    public let request: ExportRequest

    public init(_ request: ExportRequest) { self.request = request }

    public struct Outcome: Sendable {
        public var directory: URL
        public var dashboard: URL
        public var files: Int
        public var suppressedRows: Int
    }

    public func run(on connection: Connection) throws -> Outcome {
        guard request.suppressBelow >= 0 else { throw ExportError.invalidOption("--suppress-below must be 0 or more") }
        if request.includeStaff, !(try StaffNameAccess.allowed(on: connection)) {
            let role: String = try connection.query("SELECT current_user::text AS role").single().decode("role")
            throw ExportError.staffNamesNotPermitted(role: role)
        }
        let answers = try ExportAnswers(request: request, connection: connection)
        let tables = DatasetBuilder(answers: answers, minimum: request.suppressBelow, includeStaff: request.includeStaff).build()
        let folder = try ExportFolder(target: request.directory)
        do {
            var entries: [Manifest.FileEntry] = []
            func write(_ name: String, _ text: String, rows: Int?) throws {
                let data = Data(text.utf8)
                try folder.write(name, data)
                var hash = SHA256()
                hash.update([UInt8](data))
                entries.append(Manifest.FileEntry(path: name, rows: rows, sha256: hash.finishHex()))
            }
            for table in tables {
                try write("\(table.name).csv", CSVFile.render(table, excel: request.excel), rows: table.table.rows.count)
                try write("\(table.name).json", JSONFile.render(table), rows: table.table.rows.count)
            }
            let page = DashboardPage(tables: tables, request: request, lastLoad: answers.lastLoad)
            try write("dashboard.html", page.html, rows: nil)
            let manifest = Manifest(
                generatedAt: request.now, lastLoad: answers.lastLoad, request: request,
                containsPersonalData: request.includeStaff, files: entries)
            try folder.write("manifest.json", Data(manifest.json.utf8))
            try folder.commit()
        } catch {
            folder.discard()
            throw error
        }
        return Outcome(
            directory: request.directory, dashboard: request.directory.appendingPathComponent("dashboard.html"),
            files: tables.count * 2 + 2, suppressedRows: tables.reduce(0) { $0 + $1.suppressed.filter { $0 }.count })
    }
}
