import Foundation
import Testing
@testable import QARead

@Suite struct CSVParserTests {
    @Test func bomCRLFAndMultiLineQuotedFields() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"two\r\nlines\",3\r\n4,\"x \"\"quoted\"\", y\",6\r\n\r\n7,\"three\nline\nfield\",9\n10,11,12"
        let rows = try Fixture.rows(Fixture.write(text))
        #expect(rows.map(\.line) == [1, 2, 4, 6, 9])
        #expect(rows[0].fields == ["a", "b", "c"])
        #expect(rows[1].fields == ["1", "two\r\nlines", "3"])
        #expect(rows[2].fields == ["4", "x \"quoted\", y", "6"])
        #expect(rows[3].fields == ["7", "three\nline\nfield", "9"])
        #expect(rows[4].fields == ["10", "11", "12"])
        #expect(rows.allSatisfy { $0.problem == nil })
    }

    @Test func loneCarriageReturnsAndMixedLineEnds() throws {
        let rows = try Fixture.rows(Fixture.write("a,b\r1,2\n3,4\r\n5,6\r"))
        #expect(rows.map(\.line) == [1, 2, 3, 4])
        #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
    }

    @Test func emptyFieldsAndQuotedEmpty() throws {
        let rows = try Fixture.rows(Fixture.write("a,,\"\",d\n"))
        #expect(rows.map(\.fields) == [["a", "", "", "d"]])
    }

    @Test func nulByteIsReported() throws {
        let rows = try Fixture.rows(Fixture.write(Array("a,b\nx,y\0z\n".utf8)))
        #expect(rows[1].fields == ["x", "yz"])
        #expect(rows[1].problem == .nulByte(index: 1))
    }

    @Test func unclosedQuoteNamesTheLineItOpenedOn() throws {
        let rows = try Fixture.rows(Fixture.write("a,b\n1,2\n3,\"never\nclosed\n"))
        #expect(rows.count == 3)
        #expect(rows[2].line == 3)
        #expect(rows[2].problem == .unclosedQuote(openedOnLine: 3))
    }

    @Test func overLongFieldKeepsOnlyTheLimitAndParsingContinues() throws {
        let big = String(repeating: "x", count: 5_000_000)
        let rows = try Fixture.rows(Fixture.write("a,b\n1,\(big)\n2,ok\n"), maxFieldBytes: 1 << 20)
        #expect(rows.count == 3)
        #expect(rows[1].problem == .fieldTooLong(index: 1, limit: 1 << 20))
        #expect(rows[1].fields[1].utf8.count == 1 << 20)
        #expect(rows[2].fields == ["2", "ok"])
        #expect(rows[2].line == 3)
    }

    @Test func hundredThousandColumnsAreCountedNotKept() throws {
        let wide = String(repeating: ",", count: 99_999)
        let rows = try Fixture.rows(Fixture.write("a,b\n\(wide)\n1,2\n"))
        #expect(rows.count == 3)
        #expect(rows[1].fieldCount == 100_000)
        #expect(rows[1].fields.count == 1000)
        #expect(rows[1].problem == .tooManyFields(count: 100_000, limit: 1000))
        #expect(rows[2].fields == ["1", "2"])
    }

    @Test func recordsAcrossChunkBoundaries() throws {
        // 3 MiB of rows so that fields, CRLF pairs and UTF-8 sequences straddle 1 MiB chunks.
        var text = "id,text\r\n"
        let count = 40_000
        for i in 0..<count { text += "\(i),\"£ café, \"\"\(i)\"\"\r\nsecond line ’\"\r\n" }
        let rows = try Fixture.rows(Fixture.write(text))
        #expect(rows.count == count + 1)
        #expect(rows.last?.line == 2 * count)
        #expect(rows.last?.fields == ["\(count - 1)", "£ café, \"\(count - 1)\"\r\nsecond line ’"])
        #expect(rows.allSatisfy { $0.problem == nil && $0.fields.count == 2 })
    }

    @Test func invalidUTF8FailsWithLineAndColumn() throws {
        var bytes = Array("a,b\n1,\"two\nlines\"\nab,c".utf8)
        bytes.append(0xE9) // Latin-1 é
        bytes += Array(" ok\n".utf8)
        let path = Fixture.write(bytes)
        let problem = Fixture.parseProblem(path)
        #expect(problem?.line == 4)
        #expect(problem?.column == 5)
        #expect(problem?.reason == "byte 0xE9 on line 4, column 5 is not valid UTF-8; if the file was saved by older "
            + "Excel as plain \"CSV\", read it with --encoding windows-1252")
        #expect(problem?.description.hasPrefix("\(path):4:5: byte 0xE9") == true)
    }

    @Test func utf8Validation() {
        func check(_ bytes: [UInt8], final: Bool = true) -> UTF8Validation.Result {
            bytes.withUnsafeBufferPointer { UTF8Validation.check($0.baseAddress!, count: $0.count, isFinal: final) }
        }
        #expect(check(Array("plain ascii text, long enough".utf8)) == .valid(completeEnd: 29))
        #expect(check(Array("£€𝄞".utf8)) == .valid(completeEnd: 9))
        #expect(check([0x61, 0xC0, 0xAF]) == .invalid(at: 1)) // overlong
        #expect(check([0xED, 0xA0, 0x80]) == .invalid(at: 0)) // surrogate
        #expect(check([0xF4, 0x90, 0x80, 0x80]) == .invalid(at: 0)) // above U+10FFFF
        #expect(check([0x61, 0xE2, 0x82]) == .invalid(at: 1))
        #expect(check([0x61, 0xE2, 0x82], final: false) == .valid(completeEnd: 1))
    }
}
