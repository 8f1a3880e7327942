import Foundation
import Postgres
import QACore
import QAQuery
import Testing

@Suite struct TermRangeTests {
    /// Of the range's first and last academic years, only the terms partly inside it are read from the base tables:
    /// a term wholly inside comes from the summary, and one wholly outside is skipped before anything is read (it
    /// has no records in the range). From 4 October to 31 March: autumn read, spring whole, summer skipped. (By
    /// subject, which the cohorts' counts by month of SQL/035 lack, so that the range is split by term.)
    @Test func termsOutsideTheRangeAreNotRead() throws {
        let f = try standardFixture()
        let filter = Filter(cohort: "SEND", from: CalendarDate(year: 2022, month: 10, day: 4),
                            to: CalendarDate(year: 2023, month: 3, day: 31))
        let query = Distribution(by: [.subject], filter: filter)
        guard case .terms = query.source else {
            Issue.record("not split: \(query.source)")
            return
        }
        let text = try f.connection.query("EXPLAIN (ANALYZE, FORMAT JSON) " + query.sql)
            .map { try $0.decode("QUERY PLAN", as: String.self) }.joined()
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        // A part of the statement per end term, each behind a one-time filter naming its term; a part was read when
        // the node under that filter ran (the arrays it tests are computed first, as init plans, either way).
        var read: [String] = []
        func walk(_ node: [String: Any]) {
            let children = node["Plans"] as? [[String: Any]] ?? []
            if let test = node["One-Time Filter"] as? String,
               let term = Term.allCases.first(where: { test.contains("'\($0.rawValue)'") }),
               children.contains(where: { $0["Parent Relationship"] as? String == "Outer" && ($0["Actual Loops"] as? Int ?? 0) > 0 }) {
                read.append(term.rawValue)
            }
            children.forEach(walk)
        }
        for statement in plan { walk(try #require(statement["Plan"] as? [String: Any])) }
        #expect(read == ["autumn"])
        #expect(try query.run(on: f.connection).summary
                == Distribution(by: [.subject], filter: filter, preference: .baseTables).run(on: f.connection).summary)
    }
}
