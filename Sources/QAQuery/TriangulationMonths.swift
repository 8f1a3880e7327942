import Postgres
import QACore

extension Triangulation {
    /// Per row of the month table's whole months (SQL/017), and per rating of the end days, the ratings given as
    /// `TriangulationRatings` bits (`ratings`), as `x`; `activity`, where the question names one, keeps that
    /// activity's ratings only. One row per end-day rating: the query's grouping or's them anyway, where grouping
    /// them first cost twice the time for a month of end days at 3 million records.
    static func monthsAndEndDays(_ range: MonthRange, _ filter: Filter, activity: String?) -> SQL {
        let keys = "x.school_id, x.subject_id, x.deep_dive_id, x.academic_year, x.term, x.standard"
        let months = TriangulationRatings.bits(column: "x.ratings", of: activity.map { [$0] })
        var day = TriangulationRatings.bit(activity: "x.activity", rating: "x.rating")
        if let activity {
            day = "CASE WHEN x.activity = " + SQL(verbatim: "'\(activity)'") + " THEN " + day + " ELSE 0 END"
        }
        return range.relation(
            filter,
            months: SQL(verbatim: "SELECT \(keys), ") + months + " AS ratings FROM qa.triangulation_month x",
            endDays: SQL(verbatim: "SELECT \(keys), ") + day + " AS ratings FROM " + CountSource.endDayRatings)
    }
}
