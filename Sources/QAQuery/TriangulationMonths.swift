import Postgres
import QACore

extension Triangulation {
    /// Per row of the month table's whole months (SQL/017), and per rating of the end days, each activity's lowest
    /// and highest rating as scores (`<activity>_low`, `<activity>_high`: a rating gives its own score to its
    /// activity), as `x`. One row per end-day rating: the query's grouping takes the lowest and highest anyway,
    /// where grouping them first cost twice the time for a month of end days at 3 million records.
    static func monthsAndEndDays(_ range: MonthRange, _ filter: Filter) -> SQL {
        let keys = "x.school_id, x.subject_id, x.deep_dive_id, x.academic_year, x.term, x.standard"
        let months = activityColumns { code in
            lowest { "x.\(code)_\($0)" } + " AS \(code)_low, " + highest { "x.\(code)_\($0)" } + " AS \(code)_high"
        }
        let days = activityColumns { code in
            let score = "CASE WHEN x.activity = '\(code)' THEN qa.ragg_score(x.rating) END"
            return "\(score) AS \(code)_low, \(score) AS \(code)_high"
        }
        return range.relation(
            filter,
            months: SQL(verbatim: "SELECT \(keys), ") + months + " FROM qa.triangulation_month x",
            endDays: SQL(verbatim: "SELECT \(keys), ") + days + " FROM " + CountSource.endDayRatings)
    }
}
