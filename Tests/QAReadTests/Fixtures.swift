import Foundation
import QACore
@testable import QARead

/// Test files under the temporary directory, and helpers to read them.
enum Fixture {
    static let today = CalendarDate(year: 2025, month: 6, day: 30)!

    static func write(_ bytes: [UInt8], name: String = "evidence.csv") -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("qaread-tests-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        return url.path
    }

    static func write(_ text: String, name: String = "evidence.csv") -> String {
        write(Array(text.utf8), name: name)
    }

    static func options(_ change: (inout ReadOptions) -> Void = { _ in }) -> ReadOptions {
        var options = ReadOptions(today: today)
        change(&options)
        return options
    }

    static func readAll(_ path: String, options: ReadOptions = options()) throws -> (EvidenceReader, [ReadOutcome]) {
        let reader = try EvidenceReader(path: path, options: options)
        var outcomes: [ReadOutcome] = []
        while let outcome = try reader.next() { outcomes.append(outcome) }
        return (reader, outcomes)
    }

    static func problem(_ path: String, options: ReadOptions = options()) -> FileProblem? {
        do {
            _ = try readAll(path, options: options)
            return nil
        } catch let problem as FileProblem {
            return problem
        } catch {
            return nil
        }
    }

    /// The one reject of a CSV made of `header` and one data row.
    static func reject(header: String = "evidence_id,school,activity,subject,date", _ row: String) throws -> Reject? {
        let (_, outcomes) = try readAll(write(header + "\n" + row + "\n"))
        guard outcomes.count == 1, case .rejected(let reject) = outcomes[0] else { return nil }
        return reject
    }

    static func record(header: String = "evidence_id,school,activity,subject,date", _ row: String) throws -> EvidenceRecord? {
        let (_, outcomes) = try readAll(write(header + "\n" + row + "\n"))
        guard outcomes.count == 1, case .accepted(let record, _, _) = outcomes[0] else { return nil }
        return record
    }

    static func parseProblem(_ path: String) -> FileProblem? {
        do throws(FileProblem) {
            let parser = try CSVParser(path: path)
            while try parser.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    static func rows(_ path: String, maxFieldBytes: Int = 1 << 20, maxFields: Int = 1000) throws -> [CSVRow] {
        let parser = try CSVParser(path: path, maxFieldBytes: maxFieldBytes, maxFields: maxFields)
        var rows: [CSVRow] = []
        while let row = try parser.next() { rows.append(row) }
        return rows
    }
}

extension ReadOutcome {
    var reject: Reject? {
        if case .rejected(let reject) = self { return reject }
        return nil
    }

    var record: EvidenceRecord? {
        if case .accepted(let record, _, _) = self { return record }
        return nil
    }

    var line: Int {
        switch self {
        case .accepted(_, let line, _): line
        case .rejected(let reject): reject.line
        }
    }

    var warnings: [ReadWarning] {
        if case .accepted(_, _, let warnings) = self { return warnings }
        return []
    }
}
