import Postgres
import QACore

/// The roles a login can be given (SQL/005_access_control.sql says what each may see).
public enum AccessRole: String, CaseIterable, Sendable {
    case trustLeader = "trust_leader"
    case schoolLeader = "school_leader"
    case analyst
    case loader
    case owner

    /// The database group role: `qa_trust_leader`, ...
    public var groupRole: String { "qa_" + rawValue }

    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased().replacingOccurrences(of: "-", with: "_"))
    }
}

/// One login's membership of a qa role, with the schools a school leader may see.
public struct AccessEntry: Sendable, Equatable {
    public var login: String
    public var role: AccessRole
    public var schools: [String]
}

public enum AccessError: Error, CustomStringConvertible, Equatable {
    case schoolsRequired
    case schoolsNotAllowed(AccessRole)
    case unknownSchool(String, known: [String])

    public var description: String {
        switch self {
        case .schoolsRequired: "a school leader needs at least one --school"
        case .schoolsNotAllowed(let role): "--school applies only to school leaders, not to \(role.rawValue)"
        case .unknownSchool(let name, let known):
            "no school named \"\(name)\"" + (known.isEmpty ? " (no schools are loaded yet)" : "; schools: " + known.joined(separator: ", "))
        }
    }
}

/// Manages logins without hand-written SQL: `qa-analytics access grant|revoke|list`.
public struct Access {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Creates the login if needed (without a password: set one with psql's \password, or rely on the
    /// server's pg_hba.conf) and makes it a member of the role; a school leader gets its schools.
    public func grant(login: String, role: AccessRole, schools: [String]) throws {
        if role == .schoolLeader && schools.isEmpty { throw AccessError.schoolsRequired }
        if role != .schoolLeader && !schools.isEmpty { throw AccessError.schoolsNotAllowed(role) }
        try connection.transaction {
            var schoolIDs: [Int] = []
            for name in schools {
                let found = try connection.query("SELECT school_id FROM qa.school WHERE name_key = lower(\(String(name.trimmingSpaces())))")
                guard let row = found.rows.first else {
                    let known = try connection.query("SELECT name FROM qa.school ORDER BY name").map { try $0.decode("name", as: String.self) }
                    throw AccessError.unknownSchool(name, known: known)
                }
                schoolIDs.append(try row.decode("school_id"))
            }
            try connection.execute("SELECT qa.manage_login('grant', \(login), \(role.groupRole))")
            for id in schoolIDs {
                try connection.execute("""
                    INSERT INTO qa.school_access (login, school_id) VALUES (\(login), \(id)) ON CONFLICT DO NOTHING
                    """)
            }
        }
    }

    /// Removes the login's membership of `role` (and a school leader's schools). The login itself stays.
    public func revoke(login: String, role: AccessRole) throws {
        try connection.transaction {
            try connection.execute("SELECT qa.manage_login('revoke', \(login), \(role.groupRole))")
        }
    }

    public func list() throws -> [AccessEntry] {
        let roles = AccessRole.allCases.map(\.groupRole)
        return try connection.query("""
            SELECT m.rolname::text AS login, g.rolname::text AS role,
                   coalesce((SELECT array_agg(s.name ORDER BY s.name)::text FROM qa.school_access a
                               JOIN qa.school s USING (school_id) WHERE a.login = m.rolname), '{}') AS schools
              FROM pg_auth_members am
              JOIN pg_roles g ON g.oid = am.roleid
              JOIN pg_roles m ON m.oid = am.member
             WHERE g.rolname = ANY(\(roles)::text[])
             ORDER BY m.rolname, g.rolname
            """).map { row in
            let role: String = try row.decode("role")
            return AccessEntry(
                login: try row.decode("login"),
                role: AccessRole(rawValue: String(role.dropFirst(3))) ?? .analyst,
                schools: try row.decode("schools", as: [String].self))
        }
    }
}
