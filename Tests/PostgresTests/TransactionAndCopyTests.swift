import Foundation
import Postgres
import Testing
import TestSupport

struct Boom: Error {}

@Suite struct TransactionAndCopyTests {
    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (n int)")
        #expect(throws: Boom.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (\(1))")
                throw Boom()
            }
        }
        #expect(connection.inTransaction == false)
        #expect(try connection.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 0)
        try connection.transaction { try connection.execute("INSERT INTO t VALUES (\(2))") }
        #expect(try connection.query("SELECT sum(n) AS n FROM t").single().decode("n", as: Int.self) == 2)
    }

    @Test func transactionRollsBackOnAServerError() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (n int PRIMARY KEY)")
        #expect(throws: PostgresError.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                try connection.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(try connection.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 0)
    }

    @Test func copyStreamsAMillionRowsInConstantMemory() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE UNLOGGED TABLE t (n int, label text, note text)")
        let before = residentMemoryBytes()
        let note = String(repeating: "x", count: 150) + "\t\\\n"
        let copied = try connection.copyIn("COPY t FROM STDIN") { writer in
            for n in 0..<1_000_000 {
                writer.field(n)
                try writer.field("row \(n) ’")
                try writer.field(note)
                try writer.endRow()
            }
        }
        let grown = residentMemoryBytes() - before
        #expect(copied == 1_000_000)
        let row = try connection.query("SELECT count(*) AS n, sum(length(note)) AS chars, max(label) AS last FROM t").single()
        #expect(try row.decode("n", as: Int.self) == 1_000_000)
        #expect(try row.decode("chars", as: Int.self) == 1_000_000 * note.count)
        #expect(try row.decode("last", as: String.self) == "row 999999 ’")
        // About 170 MB went through; the client's memory must not grow with it.
        #expect(grown < 48 * 1024 * 1024, "resident memory grew by \(grown / 1024 / 1024) MiB during COPY")
    }

    /// Arrays and dates written straight into the COPY buffer arrive exactly as the text would: quotes,
    /// backslashes, commas, braces, spaces, tabs, line breaks and non-ASCII letters inside elements.
    @Test func arraysAndDatesAreCopiedExactly() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TEMP TABLE t (texts text[], numbers int[], day date, missing date)")
        let texts = ["plain", "Key cohort", "a\"b", "c\\d", "e,f", "{g}", "tab\there", "line\nbreak", "cr\rhere", "Zoë", "NULL", ""]
        try connection.copyIn("COPY t FROM STDIN") { writer in
            try writer.field(texts: texts)
            writer.field(integers: [0, 7, 13, -1])
            writer.field(year: 2024, month: 3, day: 5)
            writer.null()
            try writer.endRow()
            try writer.field(texts: [])
            writer.field(integers: [])
            writer.field(year: 987, month: 12, day: 31)
            writer.null()
            try writer.endRow()
        }
        let rows = try connection.query("""
            SELECT texts, numbers::text AS numbers, day::text AS day, missing IS NULL AS missing, cardinality(texts) AS n,
                   texts[12] = '' AS empty_last, texts[11] IS NOT NULL AS null_text_is_text
              FROM t ORDER BY day DESC
            """).rows
        #expect(rows.count == 2)
        #expect(try rows[0].decode("texts", as: [String].self) == texts)
        #expect(try rows[0].decode("n", as: Int.self) == texts.count)
        #expect(try rows[0].decode("empty_last", as: Bool.self))
        #expect(try rows[0].decode("null_text_is_text", as: Bool.self))
        #expect(try rows[0].decode("numbers", as: String.self) == "{0,7,13,-1}")
        #expect(try rows[0].decode("day", as: String.self) == "2024-03-05")
        #expect(try rows[0].decode("missing", as: Bool.self))
        #expect(try rows[1].decode("texts", as: [String].self) == [])
        #expect(try rows[1].decode("numbers", as: String.self) == "{}")
        #expect(try rows[1].decode("day", as: String.self) == "0987-12-31")
    }

    @Test func aThrowingCopyBodyLeavesNothingBehind() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (n int)")
        #expect(throws: Boom.self) {
            try connection.copyIn("COPY t FROM STDIN") { writer in
                for n in 0..<10 { writer.field(n); try writer.endRow() }
                throw Boom()
            }
        }
        #expect(try connection.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 0)
    }

    @Test func badCopyDataIsAServerErrorWithSQLState() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (n int)")
        let error = #expect(throws: PostgresError.self) {
            try connection.copyIn("COPY t FROM STDIN") { writer in
                try writer.field("not a number")
                try writer.endRow()
            }
        }
        #expect(error?.sqlState == "22P02")
        #expect(try connection.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
    }

    @Test func serverNoticesReachTheHandler() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let box = NoticeBox()
        connection.onNotice = { box.notices.append($0) }
        try connection.executeScript("DO $$ BEGIN RAISE NOTICE 'checked % rows', 12; RAISE WARNING 'careful'; END $$")
        #expect(box.notices.map(\.message) == ["checked 12 rows", "careful"])
        #expect(box.notices.map(\.severity) == ["NOTICE", "WARNING"])
    }
}

final class NoticeBox: @unchecked Sendable {
    var notices: [PostgresNotice] = []
}

func residentMemoryBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kb = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kb * 1024
    }
    return 0
}
