import Postgres
import QACore

/// The ratings a group's activities gave on one standard, as one number: bit 4 x (the activity's place in
/// `Activity`) + score - 1 is set when that activity gave that rating (the place of SQL/010's
/// `triangulation_column`). PostgreSQL groups these with one `bit_or`, where a lowest and a highest per
/// activity were 16 aggregates, and leaves the names of the ranges and the verdict to Swift: at 3 million
/// records, triangulation from 15 February to 14 May took 1.09 s in PostgreSQL that way, and 0.69 s this way.
struct TriangulationRatings: Sendable, Equatable {
    var bits: Int

    /// Each activity's ratings as the range from its lowest to its highest; nil where it gave none.
    func range(of place: Int) -> (low: Rating, high: Rating)? {
        let scores = (bits >> (4 * place)) & 0xF
        guard scores != 0, let low = Rating(rawValue: scores.trailingZeroBitCount + 1),
              let high = Rating(rawValue: Int.bitWidth - scores.leadingZeroBitCount) else { return nil }
        return (low, high)
    }

    /// agree: every rating within one RAGG* step of every other; conflict: Red beside Green or Gold; else mixed.
    var verdict: String {
        var scores = 0
        for place in Activity.allCases.indices { scores |= (bits >> (4 * place)) & 0xF }
        guard scores != 0 else { return "agree" }
        let lowest = scores.trailingZeroBitCount + 1, highest = Int.bitWidth - scores.leadingZeroBitCount
        if highest - lowest <= 1 { return "agree" }
        return lowest == Rating.red.score ? "conflict" : "mixed"
    }

    /// The bit of an activity and a rating, from a rating row's `activity` and `rating` columns.
    static func bit(activity: SQL, rating: SQL) -> SQL {
        "1::bigint << qa.triangulation_column(" + activity + ", " + rating + ")"
    }

    /// The first bit of an activity's four (its Red's), from a record's `activity`: with `bit(place:rating:)`, the
    /// same bit as `bit(activity:rating:)`, the activity's part worked out once per record instead of per rating.
    static func place(activity: SQL) -> SQL {
        "qa.triangulation_column(" + activity + ", 'red')"
    }

    /// The bit of a rating given by an activity whose first bit is `place` (`place(activity:)`).
    static func bit(place: SQL, rating: SQL) -> SQL {
        "1::bigint << (" + place + " + qa.ragg_score(" + rating + ") - 1)"
    }

    /// The bits of a row that keeps them as a column (SQL/025's tables; SQL/036's `ratings` of the summary, its
    /// months and the year's rows), for the activities `codes` (the others' cleared).
    static func bits(column: String, of codes: Set<String>? = nil) -> SQL {
        guard let codes else { return SQL(verbatim: column) }
        var mask = 0
        for (place, activity) in Activity.allCases.enumerated() where codes.contains(activity.code) {
            mask |= 0xF << (4 * place)
        }
        return SQL(verbatim: "(\(column) & \(mask)::bigint)")
    }

    /// Whether `bits` has ratings from at least two activities. Each activity's four bits are folded into its lowest
    /// (`given`: one bit per activity that gave any rating), and two or more are set when clearing the lowest set
    /// bit leaves one. `bits` is named 8 times, so it must be cheap to repeat: a column, or an aggregate (computed
    /// once however often named), as every source gives it since SQL/036. Before that a summary row's bits were
    /// an expression of 32 terms, and counting the hexadecimal digits that are not 0 (`bits` named once) was faster;
    /// now that text is the slower: 15 February to 14 May at 3 million records (146,000 groups, each written out in
    /// hexadecimal), 5-10% less time in PostgreSQL (by hand, alternated: 1.15-1.40 s -> 1.14-1.31 s).
    static func compared(_ bits: String) -> SQL {
        let given = "((\(bits) | (\(bits) >> 1) | (\(bits) >> 2) | (\(bits) >> 3)) & 286331153::bigint)"
        return SQL(verbatim: "(\(given) & (\(given) - 1)) <> 0")
    }
}
