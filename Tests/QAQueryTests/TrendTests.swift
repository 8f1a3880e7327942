import QACore
import QAQuery
import Testing

@Suite struct TrendTests {
    func lines(_ rows: [TrendRow]) -> [String] {
        rows.map { r in
            let change = r.goodOrBetterChange.map { "\($0)" } ?? "-", arChange = r.amberRedChange.map { "\($0)" } ?? "-"
            return (r.group.map { "\($0) " } ?? "") + "\(r.academicYear) \(r.term) n\(r.n) \(r.goodOrBetterPct) \(r.amberRedPct) \(change) \(arChange)"
        }
    }

    @Test func sharesPerTermWithTheChangeFromThePreviousTerm() throws {
        let f = try standardFixture()
        #expect(lines(try Trend().run(on: f.connection)) == [
            "2022/23 autumn n3 66.7 33.3 - -",
            "2022/23 spring n4 50.0 50.0 -16.7 16.7",
            "2022/23 summer n3 33.3 66.7 -16.7 16.7",
            "2023/24 autumn n1 100.0 0.0 66.7 -66.7",
        ])
    }

    @Test func oneSeriesPerValueOfTheDimension() throws {
        let f = try standardFixture()
        let trend = Trend(by: .school)
        #expect(lines(try trend.run(on: f.connection)) == [
            "Oakfield Academy 2022/23 autumn n3 66.7 33.3 - -",
            "Oakfield Academy 2022/23 spring n4 50.0 50.0 -16.7 16.7",
            "Riverside School 2022/23 summer n3 33.3 66.7 - -",
            "Riverside School 2023/24 autumn n1 100.0 0.0 66.7 -66.7",
        ])
        for dimension in Dimension.allCases {
            let auto = Trend(by: dimension)
            let base = Trend(by: dimension, preference: .baseTables)
            #expect(try auto.run(on: f.connection) == base.run(on: f.connection), "\(dimension)")
        }
    }
}
