import ArgumentParser
import QAStore

/// `qa-analytics db start|stop|status|url`: manage the embedded database.
struct Database: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded local PostgreSQL database.",
        subcommands: [Start.self, Stop.self, Status.self, URL.self]
    )

    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("Where the embedded database lives.", valueName: "dir"))
        var dataDir: String?

        var server: LocalServer { LocalServer(dataDirectory: DataDirectory.resolve(explicit: dataDir)) }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (on first use) and start the embedded database.")
        @OptionGroup var options: Options

        func run() throws {
            let server = options.server
            let steps = try server.start()
            print(steps.isEmpty ? "already running: \(server.dataDirectory)" : steps.joined(separator: "\n"))
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded database (any command starts it again).")
        @OptionGroup var options: Options

        func run() throws {
            let server = options.server
            print(try server.stop() ? "stopped: \(server.dataDirectory)" : "not running: \(server.dataDirectory)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether the embedded database exists and is running (exit 0 running, 3 stopped, 4 not created).")
        @OptionGroup var options: Options

        func run() throws {
            let server = options.server
            switch try server.status() {
            case .running:
                print("running: \(server.dataDirectory) (socket in \(server.socketDirectory))")
            case .stopped:
                print("stopped: \(server.dataDirectory)")
                throw ExitCode(3)
            case .notCreated:
                print("not created yet: \(server.dataDirectory) (any command creates it)")
                throw ExitCode(4)
            }
        }
    }

    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the embedded database's connection string, e.g. psql \"$(qa-analytics db url)\".")
        @OptionGroup var options: Options

        func run() throws {
            print(options.server.connectionString)
        }
    }
}
