import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program and waits for it, with its output captured through a temporary file.
/// posix_spawn and waitpid rather than Foundation's Process: Process can miss the exit of a child
/// whose own child (the PostgreSQL server that pg_ctl starts) lives on, and then waits for ever.
enum Subprocess {
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputPath = NSTemporaryDirectory() + "qa-analytics-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Started from / through env(1): the server account may not be able to enter the caller's
        // working directory, and glibc's posix_spawn_file_actions_addchdir_np does not import into Swift.
        let command = ["/usr/bin/env", "-C", "/", program] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw LocalServerError.commandFailed(
                command: program, status: spawned, output: String(cString: strerror(spawned)), logFile: nil)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS, written out: the C macros do not import into Swift.
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }
}
