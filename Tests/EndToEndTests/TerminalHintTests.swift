import Foundation
import Testing
import TestSupport

/// Hints meant for a person at a terminal appear there, and never in a pipe, a file or a cron log.
@Suite struct TerminalHintTests {
    /// Runs the tool under `script`, which gives it a pseudo-terminal (util-linux, essential on Debian);
    /// everything it writes, standard error included, comes back as one text.
    func atTerminal(_ arguments: [String]) throws -> String {
        let folder = try RepositoryPaths.temporaryFolder("terminal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out").path, input = folder.appendingPathComponent("in").path
        try Data().write(to: URL(fileURLWithPath: input))
        let command = ([RepositoryPaths.binary.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let process = try SpawnedProcess(
            "/usr/bin/script", ["-qec", command, "/dev/null"], environment: ProcessInfo.processInfo.environment,
            stdin: input, stdout: out, stderr: out + ".err")
        #expect(process.wait(timeout: 120) == 0)
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }

    @Test(arguments: ["cpd-needs", "triangulation"])
    func aQueryWithoutAPeriodSaysWhichTermItLooksAtAtATerminalOnly(query: String) throws {
        let db = try TestDatabase.create()
        let hint = "note: no period given, so this is spring 2022/23, the term containing 2023-02-01; "
            + "--academic-year, --term or --from/--to choose another period, --all-time every record ever loaded"
        #expect(try atTerminal(["query", query, "--as-of", "2023-02-01", "--format", "csv", "--database", db.conninfo])
            .contains(hint))
        for period in [["--academic-year", "2024/25"], ["--all-time"]] {
            #expect(try !atTerminal(["query", query] + period + ["--format", "csv", "--database", db.conninfo])
                .contains("note:"))
        }
        let piped = try runTool(["query", query, "--as-of", "2023-02-01", "--format", "csv", "--database", db.conninfo])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stderr.contains("note:") && !piped.stdout.contains("note:"))
    }
}
