import Foundation
import Postgres
import Testing
import TestSupport

/// What a bad file must produce: never a crash or a hang, an exit code of 0, 65 or 1, a line number for
/// row-level problems or a clear reason for file-level ones, and bounded memory.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    enum Expect: Sendable {
        /// Loaded, some rows rejected (exit 65); stderr names a line of the file.
        case rejectsWithLine
        /// Nothing loaded (exit 1); stderr names a line of the file.
        case refusedAtLine
        /// Nothing loaded (exit 1); stderr says why in these words.
        case refused(String)
        /// Loaded cleanly (exit 0) with this many rows.
        case loads(rows: Int)
    }

    var name: String
    var file: String
    var expect: Expect
    var extra: [String] = []
    /// Writes the file's bytes; `valid` is a small valid CSV (header and 20 records), `validJSON` the same as JSON Lines.
    var build: @Sendable (_ valid: Data, _ validJSON: Data, _ path: String) throws -> Void

    var testDescription: String { name }
}

private func bytes(_ text: String) -> Data { Data(text.utf8) }

private func lines(_ data: Data) -> [Data] {
    data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
}

private func joined(_ parts: [Data]) -> Data {
    var out = Data()
    for (i, part) in parts.enumerated() {
        if i > 0 { out.append(0x0A) }
        out.append(part)
    }
    return out
}

/// A valid-looking record line with `middle` as its school field (raw bytes, spliced in as written).
private func recordLine(id: String, school: Data) -> Data {
    var line = bytes("\(id),")
    line.append(school)
    line.append(bytes(",146884,T0001,Ann Smith,Class teacher,Head,lesson_visit,Maths,2023-03-14,,,Y7,SEND,G,,,,,,A,,,,,,Calm start,,,"))
    return line
}

/// Inserts `line` as the fourth physical line of `valid` (after the header and two records).
private func withLine(_ valid: Data, _ line: Data) -> Data {
    var parts = lines(valid)
    parts.insert(line, at: 3)
    return joined(parts)
}

let corpus: [CorpusCase] = [
    CorpusCase(name: "empty file", file: "empty.csv", expect: .refused("the file is empty")) { _, _, path in
        try Data().write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "header only", file: "header-only.csv", expect: .loads(rows: 0)) { valid, _, path in
        try (lines(valid)[0] + bytes("\r\n")).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "truncated inside a quoted field", file: "truncated.csv", expect: .rejectsWithLine) { valid, _, path in
        // Cut the last record inside its quoted "strengths" field: an unclosed quote at the end of the file.
        let text = String(decoding: valid, as: UTF8.self)
        guard let cut = text.range(of: ",\"", options: .backwards) else { throw FaultTestFailure("no quoted field") }
        try bytes(String(text[..<cut.upperBound]) + "Questioning was").write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "truncated mid-record", file: "truncated-row.csv", expect: .rejectsWithLine) { valid, _, path in
        var parts = lines(valid).filter { !$0.isEmpty }
        parts[parts.count - 1] = parts[parts.count - 1].prefix(40)
        try joined(parts).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "unbalanced quote", file: "unbalanced.csv", expect: .rejectsWithLine) { valid, _, path in
        // The stray quote on line 4 runs on until the next quote in the file: one row of many rejected.
        try withLine(valid, recordLine(id: "EVQ1", school: bytes("\"Oak \"\"field"))).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "unbalanced quote at the end", file: "unbalanced-end.csv", expect: .refusedAtLine,
               extra: ["--max-rejects", "0"]) { valid, _, path in
        // A quote opened in the last row never closes: with --max-rejects 0 the one reject refuses the file.
        var parts = lines(valid).filter { !$0.isEmpty }
        parts.append(recordLine(id: "EVQ2", school: bytes("\"Oakfield")))
        try joined(parts).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "invalid UTF-8", file: "latin1.csv", expect: .refusedAtLine) { valid, _, path in
        try withLine(valid, recordLine(id: "EVU1", school: Data([0x53, 0x74, 0xE9, 0x20, 0xFF, 0xFE]))).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "NUL bytes", file: "nul.csv", expect: .rejectsWithLine) { valid, _, path in
        try withLine(valid, recordLine(id: "EVN1", school: Data([0x4F, 0x61, 0x6B, 0x00, 0x00, 0x66]))).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "a 50 MB field", file: "huge-field.csv", expect: .rejectsWithLine) { valid, _, path in
        var field = Data([0x22])
        field.append(Data(repeating: 0x78, count: 50 * 1024 * 1024))
        field.append(0x22)
        try withLine(valid, recordLine(id: "EVB1", school: field)).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "a row of 100,000 columns", file: "wide-row.csv", expect: .rejectsWithLine) { valid, _, path in
        let wide = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        try withLine(valid, bytes(wide)).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "a header of 100,000 columns", file: "wide-header.csv", expect: .refusedAtLine) { valid, _, path in
        var parts = lines(valid)
        parts[0] = bytes((0..<100_000).map { "column\($0)" }.joined(separator: ","))
        try joined(parts).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "wrong delimiter", file: "semicolons.csv", expect: .refused("the header has no evidence_id")) { valid, _, path in
        try Data(valid.map { $0 == 0x2C ? 0x3B : $0 }).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "a binary file renamed .csv", file: "picture.csv", expect: .refusedAtLine) { _, _, path in
        var random = SeededRandom(seed: 99)
        // A PNG signature and then noise, as a renamed image would be.
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        for _ in 0..<65_536 { data.append(UInt8.random(in: 0...255, using: &random)) }
        try data.write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "JSON Lines truncated", file: "truncated.jsonl", expect: .rejectsWithLine) { _, json, path in
        try json.prefix(json.count - 30).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "JSON Lines with a NUL byte", file: "nul.jsonl", expect: .rejectsWithLine) { _, json, path in
        var parts = lines(json)
        parts[2] = parts[2].prefix(20) + Data([0]) + parts[2].dropFirst(20)
        try joined(parts).write(to: URL(fileURLWithPath: path))
    },
    CorpusCase(name: "a binary file renamed .jsonl", file: "archive.jsonl", expect: .refusedAtLine) { _, _, path in
        var random = SeededRandom(seed: 7)
        var data = Data([0x1F, 0x8B, 0x08, 0x00])
        for _ in 0..<65_536 { data.append(UInt8.random(in: 0...255, using: &random)) }
        try data.write(to: URL(fileURLWithPath: path))
    },
]

/// The base files every corpus case and fuzz case start from: 20 valid records as CSV and as JSON Lines.
final class BaseFiles: Sendable {
    static let shared = BaseFiles()
    let csv: Data
    let jsonLines: Data

    private init() {
        guard let folder = try? RepositoryPaths.temporaryFolder("fault-base") else {
            (csv, jsonLines) = (Data(), Data())
            return
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let csvPath = folder.appendingPathComponent("valid.csv").path, jsonPath = folder.appendingPathComponent("valid.jsonl").path
        try? generateEvidence(records: 20, seed: 21, to: csvPath)
        try? generateEvidence(records: 20, seed: 21, to: jsonPath)
        csv = (try? Data(contentsOf: URL(fileURLWithPath: csvPath))) ?? Data()
        jsonLines = (try? Data(contentsOf: URL(fileURLWithPath: jsonPath))) ?? Data()
    }
}

@Suite struct BadInputTests {
    /// 200 MB: the reader's limits (1 MiB a field, 1,000 fields, 8 MiB a row) keep it far below this.
    static let memoryLimitKiB = 200 * 1024

    @Test(arguments: corpus) func aBadFileIsLoadedOrRefusedClearlyWithinBoundedMemory(_ corpusCase: CorpusCase) throws {
        let base = BaseFiles.shared
        try #require(!base.csv.isEmpty && !base.jsonLines.isEmpty)
        let folder = try RepositoryPaths.temporaryFolder("fault-corpus")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(corpusCase.file).path
        try corpusCase.build(base.csv, base.jsonLines, path)
        let db = try TestDatabase.create()

        let run = try runMeasured(["load", path, "--database", db.conninfo] + corpusCase.extra, timeout: 120, in: folder)
        let stderr = run.stderr.count > 4000 ? String(run.stderr.prefix(4000)) + "..." : run.stderr
        #expect(!run.timedOut, "hung: killed after \(run.seconds) s")
        #expect([0, 65, 1].contains(run.status), "exit \(run.status): \(stderr)")
        #expect(run.peakKiB < BadInputTests.memoryLimitKiB, "peak memory \(run.peakKiB / 1024) MB")
        // Every load connects to PostgreSQL, which takes far longer than one 5 ms poll: a zero means
        // the measurement itself failed, not a small process.
        #expect(run.peakKiB > 1024, "peak memory was not measured")
        let connection = try db.connect()
        switch corpusCase.expect {
        case .rejectsWithLine:
            #expect(run.status == 65, "\(stderr)")
            #expect(namesALine(run.stderr, file: corpusCase.file), "\(stderr)")
        case .refusedAtLine:
            #expect(run.status == 1, "\(stderr)")
            #expect(run.stderr.contains("error: \(path): "), "\(stderr)")
            #expect(namesALine(run.stderr, file: corpusCase.file), "\(stderr)")
            #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == 0)
        case .refused(let reason):
            #expect(run.status == 1, "\(stderr)")
            #expect(run.stderr.contains("error: \(path): "), "\(stderr)")
            #expect(run.stderr.contains(reason), "\(stderr)")
            #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == 0)
        case .loads(let rows):
            #expect(run.status == 0, "\(stderr)")
            #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == rows)
        }
        // Whatever happened, the books balance and no load is left half-done.
        #expect(try connection.count("SELECT count(*) AS n FROM qa.load_batch WHERE status = 'running'") == 0)
        #expect(try connection.count("""
            SELECT count(*) AS n FROM qa.load_batch WHERE rows_read IS DISTINCT FROM inserted + updated + unchanged + rejected
            """) == 0)
    }

    /// Mutated copies of a valid file (bytes flipped; quotes, commas, CR, LF, NUL and 0xFF inserted; cut
    /// short; lines repeated or dropped), loaded by the binary. Each either loads with every row accounted
    /// for, or is refused with a message and leaves the database exactly as it was. 4 shards of 50 cases
    /// run in parallel, each on its own database; `QA_SOAK=1` makes it 4 x 500. `QA_FAULT_SEED` replays.
    @Test(arguments: 0..<4) func mutatedFilesNeverCrashHangOrHalfLoad(shard: Int) throws {
        let base = BaseFiles.shared
        try #require(!base.csv.isEmpty && !base.jsonLines.isEmpty)
        let folder = try RepositoryPaths.temporaryFolder("fault-fuzz")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try TestDatabase.create()
        let connection = try db.connect()
        let seed = faultSeed(7_000) &+ UInt64(shard)
        var random = SeededRandom(seed: seed)
        let cases = soak ? 500 : 50
        var statuses: [Int32: Int] = [:]
        for number in 0..<cases {
            let json = number % 3 == 2
            let (original, name) = json ? (base.jsonLines, "case-\(number).jsonl") : (base.csv, "case-\(number).csv")
            let mutated = FileMutator.mutate(original, using: &random)
            let path = folder.appendingPathComponent(name).path
            try mutated.write(to: URL(fileURLWithPath: path))
            let before = try connection.fingerprint()
            let limit = number % 4 == 0 ? "10%" : "100%"
            let run = try runMeasured(
                ["load", path, "--database", db.conninfo, "--log-format", "json", "--max-rejects", limit], timeout: 60, in: folder)
            let context = "shard \(shard) case \(number) (seed \(seed)); file kept at \(path)"
            #expect(!run.timedOut, "hung: \(context)")
            #expect([0, 65, 1].contains(run.status), "exit \(run.status): \(context)\n\(run.stderr.prefix(3000))")
            #expect(run.peakKiB < BadInputTests.memoryLimitKiB, "peak memory \(run.peakKiB / 1024) MB: \(context)")
            let reports = LoadFinished.all(in: run.stderr)
            statuses[run.status, default: 0] += 1
            switch run.status {
            case 0, 65:
                #expect(reports.count == 1, "\(context)\n\(run.stderr.prefix(3000))")
                #expect(reports.allSatisfy { $0.isBalanced }, "\(reports): \(context)")
                if run.status == 65 { #expect(namesALine(run.stderr, file: name), "\(context)\n\(run.stderr.prefix(3000))") }
            default:
                #expect(reports.isEmpty, "\(context)")
                #expect(run.stderr.contains("\"level\":\"error\""), "\(context)\n\(run.stderr.prefix(3000))")
                #expect(try connection.fingerprint() == before, "a refused file changed the database: \(context)")
            }
            #expect(try connection.count("SELECT count(*) AS n FROM qa.load_batch WHERE status = 'running'") == 0, "\(context)")
            try? FileManager.default.removeItem(atPath: path)
        }
        // The mutations must exercise both paths: files that still load and files that are refused.
        #expect(statuses[1, default: 0] > 0 && statuses[0, default: 0] + statuses[65, default: 0] > 0, "\(statuses)")
    }
}

/// Seeded mutations of a file's bytes.
enum FileMutator {
    static let interesting: [UInt8] = [0x22, 0x2C, 0x0D, 0x0A, 0x00, 0xFF, 0x22, 0x7B, 0x7D, 0x5C, 0x3B, 0x09]

    static func mutate(_ data: Data, using random: inout SeededRandom) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
            case 1, 2: bytes.insert(interesting.randomElement(using: &random) ?? 0x22, at: at)
            case 3: bytes[at] = interesting.randomElement(using: &random) ?? 0x00
            case 4: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...64, using: &random)))
            case 5: bytes = Array(bytes.prefix(at))
            case 6:
                // Repeat a whole line (a duplicated record or a second header).
                let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                if let line = lines.randomElement(using: &random) { bytes.insert(contentsOf: Array(line) + [0x0A], at: lineStart(bytes, at)) }
            default:
                // A run of random bytes.
                let noise = (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                bytes.insert(contentsOf: noise, at: at)
            }
        }
        return Data(bytes)
    }

    static func lineStart(_ bytes: [UInt8], _ at: Int) -> Int {
        var i = at
        while i > 0 && bytes[i - 1] != 0x0A { i -= 1 }
        return i
    }
}
