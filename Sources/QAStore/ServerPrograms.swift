import Foundation

/// The PostgreSQL server programs (initdb, pg_ctl, postgres), found where Debian installs them
/// (`/usr/lib/postgresql/VERSION/bin`, newest first) or on PATH.
public struct ServerPrograms: Sendable {
    public let directory: String

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }

    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerPrograms {
        let fm = FileManager.default
        let debianRoot = "/usr/lib/postgresql"
        let versions = ((try? fm.contentsOfDirectory(atPath: debianRoot)) ?? [])
            .compactMap { name -> (Int, String)? in Int(name).map { ($0, name) } }
            .sorted { $0.0 > $1.0 }
        for (_, name) in versions {
            let dir = "\(debianRoot)/\(name)/bin"
            if fm.isExecutableFile(atPath: dir + "/initdb"), fm.isExecutableFile(atPath: dir + "/pg_ctl") {
                return ServerPrograms(directory: dir)
            }
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        where fm.isExecutableFile(atPath: dir + "/initdb") && fm.isExecutableFile(atPath: dir + "/pg_ctl") {
            return ServerPrograms(directory: dir)
        }
        throw LocalServerError.programsMissing
    }
}

public enum LocalServerError: Error, CustomStringConvertible {
    case programsMissing
    case commandFailed(command: String, status: Int32, output: String, logFile: String?)
    case noServiceAccount

    public var description: String {
        switch self {
        case .programsMissing:
            "the PostgreSQL server programs (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH; "
                + "install them with: sudo apt-get install postgresql (or pass --database to use an existing server)"
        case .commandFailed(let command, let status, let output, let logFile):
            "\(command) failed (exit \(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
                + (logFile.map { "\nserver log: \($0)" } ?? "")
        case .noServiceAccount:
            "running as root, but there is no unprivileged 'postgres' account to run the server as "
                + "(PostgreSQL refuses to run as root); install the postgresql package, which creates it"
        }
    }
}
