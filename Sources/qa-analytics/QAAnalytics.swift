import ArgumentParser

@main
struct QAAnalytics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qa-analytics",
        abstract: "Load, query and export a school trust's quality-assurance evidence (RAGG* ratings of the 12 standards).",
        discussion: """
            With no database configured (--database, QA_DATABASE_URL, PGHOST, PGSERVICE or PGDATABASE), \
            every command uses a local PostgreSQL cluster that qa-analytics creates and starts itself \
            under the data directory (--data-dir, QA_DATA_DIR, $XDG_DATA_HOME/qa-analytics or \
            ~/.local/share/qa-analytics).

            Exit codes: 0 success; 1 failure; 64 usage error; 65 loaded with rejected rows; \
            75 another load holds the lock.
            """,
        version: "0.1.0",
        subcommands: [Database.self, Migrate.self, Query.self, Generate.self, Load.self, Check.self, AccessCommand.self, CalendarCommand.self, Export.self]
    )
}
