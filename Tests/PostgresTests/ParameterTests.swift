import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct ParameterTests {
    /// Array literals as PostgreSQL prints them: quoted and bare elements, escapes, NULLs left out, non-ASCII.
    @Test func arrayLiteralsAreReadElementByElement() {
        #expect([String](postgresText: "{}") == [])
        #expect([String](postgresText: #"{a,"b c",NULL,"NULL","x\"y","z\\w",Zoë,""}"#)
            == ["a", "b c", "NULL", "x\"y", "z\\w", "Zoë", ""])
        #expect([Int](postgresText: "{7,9,NULL}") == [7, 9])
        #expect([String](postgresText: "not an array") == nil)
        #expect([Int](postgresText: "{7,x}") == nil)
    }

    @Test func awkwardTextRoundTripsAsBoundParameters() throws {
        let db = try TestDatabase.create(migrated: false)
        let connection = try db.connect()
        let values = [
            "O'Brien", "back\\slash", "\"double\"", "tab\there", "line\nbreak\r\n", "£ é ’ 🎓 中文",
            "x'); DROP TABLE pg_class; --", "$1", "", "   ",
        ]
        for value in values {
            let row = try connection.query("SELECT \(value)::text AS v, length(\(value)) AS n").single()
            #expect(try row.decode("v", as: String.self) == value)
            #expect(try row.decode("n", as: Int.self) == value.unicodeScalars.count)
        }
    }

    @Test func nulIsRefusedWithAClearMessage() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.query("SELECT \("a\u{0}b")::text")
        }
        #expect(error?.kind == .invalidParameter)
        #expect(error?.message == "value $1 contains a NUL character (byte 0), which PostgreSQL text cannot store")
        // The connection is still usable afterwards.
        #expect(try connection.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
    }

    @Test func typedDecodingOfEveryType() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let row = try connection.query("""
            SELECT 42 AS i, 2.5::float8 AS d, 'text' AS s, true AS b, false AS f,
                   DATE '2023-03-14' AS day, TIMESTAMPTZ '2023-03-14 10:30:15.25+00' AS ts,
                   NULL::int AS missing, \(Int?.none) AS bound_null, \(7) + 1 AS eight
            """).single()
        #expect(try row.decode("i", as: Int.self) == 42)
        #expect(try row.decode("d", as: Double.self) == 2.5)
        #expect(try row.decode("s", as: String.self) == "text")
        #expect(try row.decode("b", as: Bool.self) == true)
        #expect(try row.decode("f", as: Bool.self) == false)
        #expect(try row.decode("day", as: Date.self) == Date(timeIntervalSince1970: 1_678_752_000))
        #expect(try row.decode("ts", as: Date.self) == Date(timeIntervalSince1970: 1_678_789_815.25))
        #expect(try row.decode("missing", as: Int?.self) == nil)
        #expect(try row.decode("bound_null", as: Int?.self) == nil)
        #expect(try row.decode("eight", as: Int.self) == 8)
    }

    @Test func aValueThatDoesNotDecodeNamesTheColumn() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let row = try connection.query("SELECT 'abc' AS school_count, NULL::int AS n").single()
        let bad = #expect(throws: PostgresError.self) { try row.decode("school_count", as: Int.self) }
        #expect(bad?.kind == .decoding)
        #expect(bad?.message == "column \"school_count\" holds \"abc\", which is not a valid Int")
        let null = #expect(throws: PostgresError.self) { try row.decode("n", as: Int.self) }
        #expect(null?.message == "column \"n\" is NULL but a Int was expected")
        let missing = #expect(throws: PostgresError.self) { try row.decode("nope", as: Int.self) }
        #expect(missing?.message == "no column \"nope\" in the result (columns: school_count, n)")
    }

    /// `integer(at:)` reads the bytes as `Int(text)` reads the text, and `RepeatedText` gives what `text(at:)` gives,
    /// row after row: repeated, changed, empty and NULL values.
    @Test func integersAndRepeatedTextReadFromTheBytesAsFromStrings() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let texts: [String?] = [
            "0", "7", "-0", "+5", "007", "42", "-42", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
            "-9223372036854775809", "", " 1", "1 ", "+", "-", "1.5", "x", "١", nil, "Riverside School", "Riverside School",
            "Riverside School", nil, "Riverside School", "", "", nil, nil, "Zoë", "Zoë", "Zoe", "Riverside Schoo",
        ]
        let result = try connection.query("SELECT t, t AS u FROM unnest(\(texts)::text[]) WITH ORDINALITY AS x(t, n) ORDER BY n")
        #expect(result.rowCount == texts.count)
        var repeated = RepeatedText(column: 0)
        for (row, text) in zip(result, texts) {
            #expect(row.text(at: 0) == text)
            #expect(row.integer(at: 0) == text.flatMap { Int($0) }, "\(text ?? "NULL")")
            #expect(repeated.text(in: row) == text, "\(row.index)")
        }
        // One reader across two results: a row of the second is read from the second.
        let other = try connection.query("SELECT 'Riverside School' AS t UNION ALL SELECT 'Hilltop'")
        #expect(repeated.text(in: other[0]) == "Riverside School")
        #expect(repeated.text(in: result[20]) == "Riverside School")
        #expect(repeated.text(in: other[1]) == "Hilltop")
    }

    @Test func datesAndArraysAsParameters() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let when = Date(timeIntervalSince1970: 1_678_789_815.5)
        let row = try connection.query("""
            SELECT \(when)::timestamptz AS t, \(["a\"b", "c\\d", "e,f"])::text[] AS arr,
                   array_length(\([1, 2, 3])::int[], 1) AS n
            """).single()
        #expect(try row.decode("t", as: Date.self) == when)
        #expect(try row.decode("arr", as: String.self) == #"{"a\"b","c\\d","e,f"}"#)
        #expect(try row.decode("n", as: Int.self) == 3)
    }

    @Test func interpolationNumbersPlaceholdersAcrossFragments() {
        let school = "Oakfield"
        let filter: SQL = "school = \(school)"
        let sql: SQL = "SELECT * FROM t WHERE \(filter) AND n > \(3)"
        #expect(sql.text == "SELECT * FROM t WHERE school = $1 AND n > $2")
        #expect(sql.parameters == ["Oakfield", "3"])
        let joined = SQL.joined(["a = \(1)", "b = \(2)"], separator: " AND ")
        #expect(joined.text == "a = $1 AND b = $2")
        #expect(quotedIdentifier("odd\"name") == "\"odd\"\"name\"")
    }
}
