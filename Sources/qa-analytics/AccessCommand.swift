import ArgumentParser
import QAStore

/// `qa-analytics access grant|revoke|list`: who may see what, without hand-written SQL.
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Manage database logins: trust leaders, school leaders (their schools only), analysts, loaders.",
        discussion: """
            Roles (see docs/SECURITY.md): trust_leader reads everything; school_leader reads only its \
            schools (row-level security in PostgreSQL); analyst reads aggregates and pseudonymised staff \
            keys, never names or free text; loader loads files and cannot read ratings; owner runs migrations. \
            Logins are created without a password: on a real server set one with psql's \\password and let \
            pg_hba.conf require scram-sha-256; the embedded database trusts its private local socket.

            Examples:
              qa-analytics access grant --role school_leader --login head_oakfield \\
                  --school "Oakfield Academy"
              qa-analytics access grant --role analyst --login data_team
              psql "$(qa-analytics db url) user=head_oakfield"
              qa-analytics access revoke --role analyst --login data_team
              qa-analytics access list
            """,
        subcommands: [Grant.self, Revoke.self, List.self])

    /// Login names are kept to what every tool quotes the same way: letters, digits, _ . @ -.
    static func checkLoginName(_ login: String) throws {
        let allowed = login.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.@-".unicodeScalars.contains($0)
        }
        guard allowed, (1...63).contains(login.utf8.count) else {
            throw ValidationError("--login must be 1 to 63 letters, digits, _ . @ or - (got \"\(login)\")")
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a login a role (creating the login if needed).")

        @Option(help: ArgumentHelp("trust_leader, school_leader, analyst, loader or owner.", valueName: "role"))
        var role: String

        @Option(help: ArgumentHelp("The database login (user) name.", valueName: "name"))
        var login: String

        @Option(help: ArgumentHelp("A school the school leader may see; repeat for several.", valueName: "name"))
        var school: [String] = []

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard AccessRole(parsing: role) != nil else {
                throw ValidationError("--role must be one of \(AccessRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try AccessCommand.checkLoginName(login)
        }

        func run() throws {
            let logger = database.makeLogger()
            let access = Access(connection: try database.connect(logger: logger))
            let role = AccessRole(parsing: role) ?? .analyst
            try access.grant(login: login, role: role, schools: school)
            print("\(login) is now \(role.rawValue)" + (school.isEmpty ? "" : " for " + school.joined(separator: ", ")))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a role away from a login (the login stays).")

        @Option(help: ArgumentHelp("The role to take away.", valueName: "role"))
        var role: String

        @Option(help: ArgumentHelp("The database login (user) name.", valueName: "name"))
        var login: String

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard AccessRole(parsing: role) != nil else {
                throw ValidationError("--role must be one of \(AccessRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() throws {
            let logger = database.makeLogger()
            let access = Access(connection: try database.connect(logger: logger))
            let role = AccessRole(parsing: role) ?? .analyst
            try access.revoke(login: login, role: role)
            print("\(login) is no longer \(role.rawValue)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List logins with a qa role, and each school leader's schools.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let logger = database.makeLogger()
            let entries = try Access(connection: try database.connect(logger: logger)).list()
            if entries.isEmpty { print("no logins have a qa role yet") }
            let width = max(5, entries.map(\.login.count).max() ?? 0)
            for entry in entries {
                let padded = entry.login + String(repeating: " ", count: width - entry.login.count)
                print("\(padded)  \(entry.role.rawValue)" + (entry.schools.isEmpty ? "" : "  " + entry.schools.joined(separator: "; ")))
            }
        }
    }
}
