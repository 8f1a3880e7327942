import Foundation
import Testing
@testable import QARead

@Suite struct RejectsFileWriterTests {
    static let rejects = [
        Reject(file: "e.csv", line: 3, column: "S5", reason: "S5: \"Greem\" is not a RAGG* rating",
               original: ["E1", "=HYPERLINK(\"x\")", "a,b", "-2", "line\nbreak"]),
        Reject(file: "e.csv", line: 7, column: nil, reason: "the row has 1 field but the header has 5", original: ["@x"]),
    ]

    func written(neutralise: Bool) throws -> String {
        let path = Fixture.write("", name: "e.rejects.csv")
        let writer = try RejectsFileWriter(path: path, originalHeader: ["id", "school", "text", "n", "notes"], neutraliseFormulas: neutralise)
        for reject in RejectsFileWriterTests.rejects { try writer.write(reject) }
        try writer.close()
        #expect(writer.rowsWritten == 2)
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    @Test func exactBytesWithFormulaNeutralisation() throws {
        #expect(try written(neutralise: true) == "\u{FEFF}line,column,reason,id,school,text,n,notes\r\n"
            + "3,S5,\"S5: \"\"Greem\"\" is not a RAGG* rating\",E1,\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",'-2,\"line\nbreak\"\r\n"
            + "7,,the row has 1 field but the header has 5,'@x\r\n")
    }

    @Test func exactBytesWithoutNeutralisation() throws {
        #expect(try written(neutralise: false) == "\u{FEFF}line,column,reason,id,school,text,n,notes\r\n"
            + "3,S5,\"S5: \"\"Greem\"\" is not a RAGG* rating\",E1,\"=HYPERLINK(\"\"x\"\")\",\"a,b\",-2,\"line\nbreak\"\r\n"
            + "7,,the row has 1 field but the header has 5,@x\r\n")
    }

    @Test func rejectsPathAndReloadOfFixedRows() throws {
        #expect(RejectsFileWriter.path(forInput: "data/evidence.csv") == "data/evidence.rejects.csv")
        #expect(RejectsFileWriter.path(forInput: "x.jsonl") == "x.rejects.csv")
        #expect(RejectsFileWriter.path(forInput: "dir.v2/noext") == "dir.v2/noext.rejects.csv")

        // A rejected row, written without neutralisation, reads back to the same fields.
        let source = Fixture.write("evidence_id,school,activity,date,strengths\nE1,Oak,peer review,2024-02-30,\"x, \"\"y\"\"\nz\"\n")
        let (reader, outcomes) = try Fixture.readAll(source)
        let reject = try #require(outcomes.first?.reject)
        let path = RejectsFileWriter.path(forInput: source)
        let writer = try RejectsFileWriter(path: path, originalHeader: reader.originalHeader, neutraliseFormulas: false)
        try writer.write(reject)
        try writer.close()
        let rows = try Fixture.rows(path)
        #expect(rows.map(\.fields) == [
            ["line", "column", "reason", "evidence_id", "school", "activity", "date", "strengths"],
            ["2", "date", "date: 2024-02-30 is not a real date", "E1", "Oak", "peer review", "2024-02-30", "x, \"y\"\nz"],
        ])
    }
}
