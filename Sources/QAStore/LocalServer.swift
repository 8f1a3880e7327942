import Foundation
import Postgres

#if canImport(Glibc)
import Glibc
#endif

/// The tool's own PostgreSQL cluster under the data directory: created on first use, listening on a
/// Unix socket only (in a directory no one else can enter), started on demand and left running.
/// When the tool runs as root the server runs as the unprivileged `postgres` account.
public struct LocalServer: Sendable {
    public let dataDirectory: String
    public static let databaseName = "qa_analytics"
    public static let superuser = "postgres"
    /// The socket file is named after the port; nothing listens on TCP.
    public static let port = 5432

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    public var clusterDirectory: String { dataDirectory + "/pgdata" }
    public var socketDirectory: String { dataDirectory + "/run" }
    public var logFile: String { dataDirectory + "/server.log" }

    /// The libpq connection string for the cluster's database; `psql "$(qa-analytics db url)"` uses it.
    public var connectionString: String {
        "host=\(LocalServer.quote(socketDirectory)) port=\(LocalServer.port) dbname=\(LocalServer.databaseName) user=\(LocalServer.superuser)"
    }

    public enum Status: Equatable, Sendable {
        case notCreated
        case stopped
        case running
    }

    public func status() throws -> Status {
        guard FileManager.default.fileExists(atPath: clusterDirectory + "/PG_VERSION") else { return .notCreated }
        let programs = try ServerPrograms.find()
        let result = try run(programs.pgCtl, ["status", "-D", clusterDirectory], as: try ServiceAccount.current())
        return result.status == 0 ? .running : .stopped
    }

    /// Creates the cluster if needed, starts it if it is not running and makes sure the database exists.
    /// Returns what it had to do, for the log.
    @discardableResult
    public func start() throws -> [String] {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        // One process at a time creates or starts the cluster; others wait here and then find it running.
        let lock = try FileLock(path: dataDirectory + "/.lock")
        defer { lock.release() }
        var done: [String] = []
        let programs = try ServerPrograms.find()
        let account = try ServiceAccount.current()
        if !FileManager.default.fileExists(atPath: clusterDirectory + "/PG_VERSION") {
            try initialise(programs, account)
            done.append("created a PostgreSQL cluster in \(clusterDirectory)")
        }
        if try run(programs.pgCtl, ["status", "-D", clusterDirectory], as: account).status != 0 {
            try account.prepare(directory: socketDirectory, mode: 0o700)
            let result = try run(
                programs.pgCtl, ["start", "-D", clusterDirectory, "-l", logFile, "-w", "-t", "60", "-s"], as: account)
            guard result.status == 0 else {
                throw LocalServerError.commandFailed(
                    command: "pg_ctl start", status: result.status, output: result.output, logFile: logFile)
            }
            done.append("started PostgreSQL (socket in \(socketDirectory))")
        }
        let admin = try Connection(
            "host=\(LocalServer.quote(socketDirectory)) port=\(LocalServer.port) dbname=postgres user=\(LocalServer.superuser)")
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = \(LocalServer.databaseName)").rowCount > 0
        if !exists {
            try admin.execute(SQL(verbatim: "CREATE DATABASE \(quotedIdentifier(LocalServer.databaseName))"))
            done.append("created database \(LocalServer.databaseName)")
        }
        return done
    }

    /// Stops the server if it is running. Returns false when it was not running.
    @discardableResult
    public func stop() throws -> Bool {
        guard try status() == .running else { return false }
        let programs = try ServerPrograms.find()
        let result = try run(programs.pgCtl, ["stop", "-D", clusterDirectory, "-m", "fast", "-w", "-s"], as: try ServiceAccount.current())
        guard result.status == 0 else {
            throw LocalServerError.commandFailed(command: "pg_ctl stop", status: result.status, output: result.output, logFile: logFile)
        }
        return true
    }

    func initialise(_ programs: ServerPrograms, _ account: ServiceAccount) throws {
        try account.prepare(directory: dataDirectory, mode: 0o700)
        try account.prepare(directory: clusterDirectory, mode: 0o700)
        let result = try run(programs.initdb, [
            "-D", clusterDirectory, "-U", LocalServer.superuser, "--auth=trust", "--encoding=UTF8", "--no-locale",
        ], as: account)
        guard result.status == 0 else {
            throw LocalServerError.commandFailed(command: "initdb", status: result.status, output: result.output, logFile: nil)
        }
        // Socket only, in a private directory: no TCP port to collide with or to expose.
        let settings = """

            # Added by qa-analytics: a private server reached only through its Unix socket.
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory.replacingOccurrences(of: "'", with: "''"))'
            unix_socket_permissions = 0700
            port = \(LocalServer.port)
            max_connections = 50
            shared_buffers = 256MB
            work_mem = 32MB
            maintenance_work_mem = 256MB
            max_wal_size = 2GB
            logging_collector = off

            """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: clusterDirectory + "/postgresql.conf"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
    }

    func run(_ program: String, _ arguments: [String], as account: ServiceAccount? = nil) throws -> (status: Int32, output: String) {
        if let account, let user = account.runAs {
            return try Subprocess.run("/usr/sbin/runuser", ["-u", user, "--", program] + arguments)
        }
        return try Subprocess.run(program, arguments)
    }

    static func quote(_ value: String) -> String {
        let plain = value.allSatisfy { !$0.isWhitespace && $0 != "'" && $0 != "\\" }
        guard !plain || value.isEmpty else { return value }
        return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

/// The account the server runs as: the caller, or `postgres` when the caller is root.
struct ServiceAccount {
    /// nil: run as the caller.
    let runAs: String?
    let uid: uid_t
    let gid: gid_t

    static func current() throws -> ServiceAccount {
        guard getuid() == 0 else { return ServiceAccount(runAs: nil, uid: getuid(), gid: getgid()) }
        guard let entry = getpwnam("postgres") else { throw LocalServerError.noServiceAccount }
        return ServiceAccount(runAs: "postgres", uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Creates `directory` owned by the server account with `mode`, and makes sure that account can
    /// reach it: a root-owned parent such as /root gets search (x) permission for others, nothing more.
    func prepare(directory: String, mode: mode_t) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard runAs != nil else {
            chmod(directory, mode)
            return
        }
        chown(directory, uid, gid)
        chmod(directory, mode)
        var path = (directory as NSString).deletingLastPathComponent
        while path != "/" && !path.isEmpty {
            var info = stat()
            if stat(path, &info) == 0, info.st_uid != uid, info.st_mode & S_IXOTH == 0 {
                chmod(path, (info.st_mode & 0o7777) | S_IXOTH)
            }
            path = (path as NSString).deletingLastPathComponent
        }
    }
}

/// An exclusive advisory lock on a file (flock), held until released or the process ends.
final class FileLock {
    let fd: Int32

    init(path: String) throws {
        // O_CLOEXEC: the server started under this lock must not inherit it and hold it for ever.
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        _ = flock(fd, LOCK_EX)
    }

    func release() {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}
