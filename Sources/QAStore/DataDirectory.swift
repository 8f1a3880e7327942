import Foundation

/// Where the embedded database lives: `--data-dir`, else `QA_DATA_DIR`, else `$XDG_DATA_HOME/qa-analytics`,
/// else `~/.local/share/qa-analytics`.
public enum DataDirectory {
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        if let explicit, !explicit.isEmpty { return absolute(explicit) }
        if let dir = environment["QA_DATA_DIR"], !dir.isEmpty { return absolute(dir) }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return absolute(xdg) + "/qa-analytics" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/qa-analytics"
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded) as NSString)
            .standardizingPath
    }
}

/// Which database a command talks to.
public enum DatabaseTarget: Equatable, Sendable {
    /// A server named by `--database`, `QA_DATABASE_URL` or the PG* environment (libpq reads PGHOST, PGSERVICE, ...).
    case configured(conninfo: String)
    /// The tool's own local cluster under the data directory.
    case embedded(dataDirectory: String)

    /// `--database`, else `QA_DATABASE_URL`, else the PG* environment when PGHOST, PGSERVICE or PGDATABASE is set,
    /// else the embedded database.
    public static func choose(
        database: String?, dataDirectory: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DatabaseTarget {
        if let database, !database.isEmpty { return .configured(conninfo: database) }
        if let url = environment["QA_DATABASE_URL"], !url.isEmpty { return .configured(conninfo: url) }
        for key in ["PGHOST", "PGSERVICE", "PGDATABASE"] where !(environment[key] ?? "").isEmpty {
            return .configured(conninfo: "")
        }
        return .embedded(dataDirectory: DataDirectory.resolve(explicit: dataDirectory, environment: environment))
    }
}
