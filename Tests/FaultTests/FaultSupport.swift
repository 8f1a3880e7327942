import Foundation
import QASample
import Postgres
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `QA_SOAK=1` runs the long versions of the loops (more kills, more fuzz cases); the default keeps the
/// whole FaultTests target within a few minutes.
let soak = ProcessInfo.processInfo.environment["QA_SOAK"] == "1"

/// The sample generator's seeded generator, so every random choice in these tests can be replayed.
typealias SeededRandom = SplitMix64

/// The seed for a test: `QA_FAULT_SEED` when set (to replay a failure), else a fixed value.
func faultSeed(_ fallback: UInt64) -> UInt64 {
    ProcessInfo.processInfo.environment["QA_FAULT_SEED"].flatMap { UInt64($0) } ?? fallback
}

/// The environment for a spawned `qa-analytics`: nothing from the developer's shell may redirect it.
func toolEnvironment() -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    for key in ["QA_DATABASE_URL", "PGHOST", "PGSERVICE", "PGDATABASE", "PGUSER", "PGPORT", "QA_DATA_DIR"] {
        environment[key] = nil
    }
    return environment
}

/// One run of the binary: how it ended, what it printed, and its peak resident memory.
struct MeasuredRun {
    /// Exit code, or 128 + signal number when it was killed by a signal.
    var status: Int32
    var stdout: String
    var stderr: String
    /// Peak resident set size in KiB (from wait4's rusage).
    var peakKiB: Int
    var timedOut: Bool
    var seconds: Double
}

/// Runs the binary, waits for it (SIGKILL after `timeout`) and reports its peak memory: posix_spawn through
/// `SpawnedProcess`, polled until it exits, with its peak memory read from /proc.
func runMeasured(_ arguments: [String], timeout: TimeInterval = 60, in folder: URL) throws -> MeasuredRun {
    let tag = UUID().uuidString.prefix(8)
    let out = folder.appendingPathComponent("out-\(tag)").path, err = folder.appendingPathComponent("err-\(tag)").path
    defer {
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: err)
    }
    let started = Date()
    let process = try SpawnedProcess(
        RepositoryPaths.binary.path, arguments, environment: toolEnvironment(), stdin: "/dev/null", stdout: out, stderr: err)
    let deadline = started.addingTimeInterval(timeout)
    var timedOut = false
    var status: Int32 = 0
    var usage = rusage()
    // Peak memory is the child's VmHWM, read while it runs. wait4's ru_maxrss cannot be used: posix_spawn
    // starts the child in the parent's address space, and Linux carries that high-water mark across exec,
    // so it would report the test runner's own size.
    var peak = 0
    while true {
        // Until the exec completes the child still runs in the test runner's address space (posix_spawn
        // uses vfork), and /proc would report the runner's size: count only readings of the tool itself.
        if isRunningBinary(process.pid) { peak = max(peak, highWaterMarkKiB(of: process.pid)) }
        let r = wait4(process.pid, &status, WNOHANG, &usage)
        if r == process.pid { break }
        if r < 0 && errno != EINTR { break }
        if !timedOut && Date() > deadline {
            timedOut = true
            kill(process.pid, SIGKILL)
        }
        usleep(5_000)
    }
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return MeasuredRun(
        status: code,
        stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
        peakKiB: peak, timedOut: timedOut, seconds: Date().timeIntervalSince(started))
}

/// Whether the process has exec'd the qa-analytics binary (its /proc exe link names it).
func isRunningBinary(_ pid: pid_t) -> Bool {
    guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") else { return false }
    return URL(fileURLWithPath: exe).resolvingSymlinksInPath().path
        == RepositoryPaths.binary.resolvingSymlinksInPath().path
}

/// VmHWM of a running process in KiB (0 once it has exited).
func highWaterMarkKiB(of pid: pid_t) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    }
    return 0
}

/// Writes a generated evidence file (`qa-analytics generate`: deterministic, every record valid).
func generateEvidence(records: Int, seed: Int, to path: String) throws {
    let result = try runTool([
        "generate", "--schools", "6", "--records", "\(records)", "--seed", "\(seed)", "--out", path,
    ])
    guard result.status == 0 else { throw FaultTestFailure("generate failed (\(result.status)): \(result.stderr)") }
}

/// The records of a generated CSV as text, header first: split at line breaks outside quoted fields
/// (a quoted field may hold a line break).
func csvRecords(_ path: String) throws -> (header: String, records: [String]) {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var records: [String] = []
    var start = 0, quoted = false
    for (i, byte) in bytes.enumerated() {
        if byte == 0x22 { quoted.toggle() }
        if byte == 0x0A && !quoted {
            var end = i
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if end > start { records.append(String(decoding: bytes[start..<end], as: UTF8.self)) }
            start = i + 1
        }
    }
    if start < bytes.count { records.append(String(decoding: bytes[start...], as: UTF8.self)) }
    guard !records.isEmpty else { throw FaultTestFailure("\(path) is empty") }
    let header = records.removeFirst()
    return (header, records)
}

func writeText(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

struct FaultTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What one finished load reported (from `--log-format json`'s `load_finished` event).
struct LoadFinished: Equatable {
    var rowsRead = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0

    var isBalanced: Bool { rowsRead == inserted + updated + unchanged + rejected }

    /// Every `load_finished` event in a JSON log.
    static func all(in log: String) -> [LoadFinished] {
        log.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["event"] as? String == "load_finished" else { return nil }
            func number(_ key: String) -> Int { (object[key] as? String).flatMap { Int($0) } ?? -1 }
            return LoadFinished(
                rowsRead: number("rows_read"), inserted: number("inserted"), updated: number("updated"),
                unchanged: number("unchanged"), rejected: number("rejected"))
        }
    }
}

extension Connection {
    func count(_ sql: SQL) throws -> Int {
        try query(sql).single().decode("n", as: Int.self)
    }

    /// Evidence rows, and rating rows that belong to them: a load is all-or-nothing when both are
    /// either zero or exactly what the file holds.
    func evidenceAndRatings() throws -> (evidence: Int, ratings: Int) {
        let row = try query("""
            SELECT (SELECT count(*) FROM qa.evidence) AS e,
                   (SELECT count(*) FROM qa.rating r JOIN qa.evidence e USING (evidence_pk)) AS r
            """).single()
        return (try row.decode("e"), try row.decode("r"))
    }

    /// Every evidence, rating, history and dimension row as one hash: equal hashes, unchanged database.
    func fingerprint() throws -> String {
        try query("""
            SELECT md5(coalesce((SELECT string_agg(e::text, '|' ORDER BY evidence_pk) FROM qa.evidence e), '')
                    || coalesce((SELECT string_agg(r::text, '|' ORDER BY evidence_pk, standard) FROM qa.rating r), '')
                    || coalesce((SELECT string_agg(s::text, '|' ORDER BY school_id) FROM qa.school s), '')
                    || coalesce((SELECT string_agg(s::text, '|' ORDER BY subject_id) FROM qa.subject s), '')
                    || coalesce((SELECT string_agg(s::text, '|' ORDER BY staff_id) FROM qa.staff s), '')
                    || coalesce((SELECT string_agg(h::text, '|' ORDER BY history_id) FROM qa.evidence_history h), '')) AS f
            """).single().decode("f")
    }
}

/// Does the text name a place in a file, as `name.csv:12` or `line 12`?
func namesALine(_ text: String, file: String) -> Bool {
    if text.range(of: "line [0-9]+", options: .regularExpression) != nil { return true }
    let escaped = NSRegularExpression.escapedPattern(for: file)
    return text.range(of: "\(escaped):[0-9]+", options: .regularExpression) != nil
}
