import Foundation

/// Places in the repository that tests need.
public enum RepositoryPaths {
    /// The repository root (the folder holding Package.swift).
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The built `qa-analytics` binary (debug build, which `Scripts/test` builds before the tests).
    public static var binary: URL {
        if let explicit = ProcessInfo.processInfo.environment["QA_BINARY"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        return root.appendingPathComponent(".build/debug/qa-analytics")
    }

    /// A new empty temporary folder.
    public static func temporaryFolder(_ label: String = "qa") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// What a run of the command line printed and returned.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs the built binary with arguments and an environment, and waits for it (killing it after `timeout`).
/// posix_spawn and waitpid, not Foundation's Process, whose waitUntilExit can miss a child's exit on Linux.
public func runTool(
    _ arguments: [String], environment extra: [String: String] = [:], stdin: Data? = nil, timeout: TimeInterval = 300
) throws -> CommandResult {
    var environment = ProcessInfo.processInfo.environment
    // A test names its database explicitly; nothing from the developer's shell may redirect it.
    for key in ["QA_DATABASE_URL", "PGHOST", "PGSERVICE", "PGDATABASE", "PGUSER", "PGPORT"] { environment[key] = nil }
    environment.merge(extra) { $1 }
    let folder = try RepositoryPaths.temporaryFolder("run")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out").path, err = folder.appendingPathComponent("err").path
    let input = folder.appendingPathComponent("in").path
    try (stdin ?? Data()).write(to: URL(fileURLWithPath: input))
    let process = try SpawnedProcess(
        RepositoryPaths.binary.path, arguments, environment: environment, stdin: input, stdout: out, stderr: err)
    let status = process.wait(timeout: timeout)
    return CommandResult(
        status: status,
        stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

/// A child process started with posix_spawn, its standard streams connected to files.
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    private var finished: Int32?

    public init(
        _ program: String, _ arguments: [String], environment: [String: String],
        stdin: String, stdout: String, stderr: String
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard result == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: program, "errno": result])
        }
        self.pid = pid
    }

    /// The exit status (128 + signal number when killed by a signal), or nil while it runs.
    public func poll() -> Int32? {
        if let finished { return finished }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return nil }
        finished = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return finished
    }

    /// Waits for the exit; past `timeout` the process is killed (SIGKILL).
    @discardableResult
    public func wait(timeout: TimeInterval = 300) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = poll() { return status }
            if Date() > deadline { kill(pid, SIGKILL) }
            usleep(5_000)
        }
    }

    public func signal(_ signal: Int32) { kill(pid, signal) }
}
