import Postgres
import QACore
@testable import QAQuery
import Testing

/// The bits a triangulation group's ratings travel in (`TriangulationRatings`): what PostgreSQL or's together must
/// read back as the same ranges and verdicts, and its test of "rated by two activities" must agree with them.
@Suite struct TriangulationRatingsTests {
    static func bits(_ ratings: [(Activity, Rating)]) -> Int {
        ratings.reduce(0) { bits, r in
            bits | 1 << (4 * Activity.allCases.firstIndex(of: r.0)! + r.1.score - 1)
        }
    }

    @Test func rangesAndVerdictsReadFromTheBits() {
        let r = TriangulationRatings(bits: Self.bits([
            (.lessonVisit, .amber), (.lessonVisit, .gold), (.workScrutiny, .green), (.informalFeedback, .gold),
        ]))
        #expect(r.range(of: 0)! == (.amber, .gold))
        #expect(r.range(of: 1)! == (.green, .green))
        #expect(r.range(of: 2) == nil)
        #expect(r.range(of: 7)! == (.gold, .gold))
        #expect(r.verdict == "mixed")
        // Every set of scores the activities can give between them: agree within one step, conflict with Red
        // beside Green or Gold, otherwise mixed.
        for scores in 1..<16 {
            let given = Rating.allCases.filter { scores & 1 << ($0.score - 1) != 0 }
            // Spread over two activities: the verdict is over all of them.
            let ratings = given.enumerated().map { (i, rating) in (Activity.allCases[i % 2 * 7], rating) }
            let low = given.min()!, high = given.max()!
            let expected = high.score - low.score <= 1 ? "agree" : low == .red ? "conflict" : "mixed"
            #expect(TriangulationRatings(bits: Self.bits(ratings)).verdict == expected, "\(given)")
        }
    }

    /// PostgreSQL's bits for each rating equal the Swift ones, and its test of two activities answers as counting
    /// them: for every activity and rating alone, and for every pair of activities with every pair of ratings.
    @Test func postgreSQLCountsTheActivitiesAsTheBitsSay() throws {
        let f = try Fixture()
        var cases: [[(Activity, Rating)]] = []
        for a in Activity.allCases {
            for r in Rating.allCases { cases.append([(a, r)]) }
            for b in Activity.allCases where b != a {
                for r in Rating.allCases { for s in Rating.allCases { cases.append([(a, r), (b, s)]) } }
            }
        }
        cases.append([(.lessonVisit, .red), (.lessonVisit, .gold)])
        cases.append(Activity.allCases.flatMap { a in Rating.allCases.map { (a, $0) } })
        for ratings in cases {
            let pairs = SQL.joined(ratings.map { "(\($0.0.code), \($0.1.databaseLabel)::qa.ragg)" }, separator: ", ")
            let bit = TriangulationRatings.bit(activity: "v.activity", rating: "v.rating")
            let row = try f.connection.query("SELECT " + TriangulationRatings.compared("g.bits") + " AS compared, g.bits FROM "
                + "(SELECT bit_or(" + bit + ") AS bits FROM (VALUES " + pairs + ") v (activity, rating)) g").single()
            let expected = Self.bits(ratings)
            #expect(try row.decode("bits", as: Int.self) == expected)
            #expect(try row.decode("compared", as: Bool.self) == (Set(ratings.map(\.0)).count >= 2), "\(ratings)")
        }
    }
}
