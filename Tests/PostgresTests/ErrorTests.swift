import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct ErrorTests {
    @Test func uniqueViolationSurfacesSQLState23505() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE school (name text CONSTRAINT school_name_unique UNIQUE)")
        try connection.execute("INSERT INTO school VALUES (\("Oakfield"))")
        let error = #expect(throws: PostgresError.self) {
            try connection.execute("INSERT INTO school VALUES (\("Oakfield"))")
        }
        #expect(error?.sqlState == "23505")
        #expect(error?.isUniqueViolation == true)
        #expect(error?.sqlStateClass == .integrityConstraintViolation)
        #expect(error?.constraint == "school_name_unique")
        #expect(error?.detail == "Key (name)=(Oakfield) already exists.")
        #expect(error?.statement == "INSERT INTO school VALUES ($1)")
        #expect(error?.kind == .server)
    }

    @Test func syntaxErrorsAndHintsAreCarried() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let error = #expect(throws: PostgresError.self) { try connection.query("SELEC 1") }
        #expect(error?.sqlState == "42601")
        #expect(error?.sqlStateClass == .syntaxErrorOrAccessRule)
        let missing = #expect(throws: PostgresError.self) { try connection.query("SELECT * FROM no_such_table") }
        #expect(missing?.sqlState == "42P01")
        #expect(missing?.message == "relation \"no_such_table\" does not exist")
    }

    @Test func connectionFailureNamesTheHostAndHidesThePassword() throws {
        let secret = "s3cr3t-Pa55"
        for conninfo in [
            "host=127.0.0.1 port=1 dbname=qa user=leader password=\(secret) connect_timeout=3",
            "postgresql://leader:\(secret)@127.0.0.1:1/qa?connect_timeout=3",
            "host=127.0.0.1 port=1 password='\(secret)' connect_timeout=3",
        ] {
            let error = #expect(throws: PostgresError.self) { try Connection(conninfo) }
            let text = error.map { "\($0)" } ?? ""
            #expect(error?.kind == .connection)
            #expect(error?.sqlStateClass == .connectionException)
            #expect(text.contains("host 127.0.0.1 port 1"))
            #expect(!text.contains(secret))
        }
    }

    @Test func aMalformedConnectionStringNeverEchoesThePassword() {
        let error = #expect(throws: PostgresError.self) { try Connection("host=x password=hunter2 bogus") }
        let text = error.map { "\($0)" } ?? ""
        #expect(!text.contains("hunter2"))
        #expect(text.contains("could not connect to PostgreSQL"))
    }
}
