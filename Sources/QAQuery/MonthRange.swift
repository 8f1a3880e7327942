import Postgres
import QACore

/// A range of days (`--from`, `--to`, either open) split into the whole calendar months inside it, which
/// qa.rating_month_summary (SQL/016) answers, and the days at its ends outside those months, which only the
/// base tables hold: 1 February to 30 April is three whole months and no end days; 15 February to 14 May is
/// March and April, with 15-28 February and 1-14 May from the base tables.
public struct MonthRange: Sendable, Equatable {
    public let from: CalendarDate?
    public let to: CalendarDate?
    /// The first day of the first whole month (nil: every month before `to`'s), and the first day after the
    /// last whole month (nil: every month after `from`'s).
    public let wholeFrom: CalendarDate?
    public let wholeUntil: CalendarDate?

    /// Nil when the range holds no whole month (it lies within one month, or within two with neither whole).
    public init?(from: CalendarDate?, to: CalendarDate?) {
        guard from != nil || to != nil else { return nil }
        self.from = from
        self.to = to
        // A month is whole when it starts on or after `from` and ends on or before `to`.
        wholeFrom = from.map { $0.day == 1 ? $0 : Self.firstOfNextMonth($0) }
        wholeUntil = to.map { day in
            let next = day.adding(days: 1)
            return next.day == 1 ? next : Self.firstOfMonth(next)
        }
        if let start = wholeFrom, let end = wholeUntil, !(start < end) { return nil }
    }

    static func firstOfMonth(_ day: CalendarDate) -> CalendarDate {
        day.adding(days: 1 - day.day)
    }

    static func firstOfNextMonth(_ day: CalendarDate) -> CalendarDate {
        firstOfMonth(day).adding(days: CalendarDate.daysIn(month: day.month, year: day.year))
    }

    /// The whole months' rows of the month summary (aliased `x`).
    var monthConditions: [SQL] {
        var out: [SQL] = []
        if let wholeFrom { out.append("x.month >= \(wholeFrom.iso)::date") }
        if let wholeUntil { out.append("x.month < \(wholeUntil.iso)::date") }
        return out
    }

    /// The rows of both parts as one relation `x`: `months` (a SELECT from a month table aliased `x`) over the whole
    /// months, and `endDays` (a SELECT from the base tables' ratings, `CountSource.base`, whose rows are filtered as
    /// `endDayLevel` says) over the end days, if any, each filtered by `filter` without its dates (the months and days
    /// are the dates' own conditions).
    func relation(_ filter: Filter, months: SQL, endDays: SQL, endDayLevel: SourceLevel = .rating) -> SQL {
        let undated = filter.withoutDates
        let whole = months + undated.whereClause(and: monthConditions)
        guard let days = self.endDays else { return "(" + whole + ") x" }
        return "(" + whole + "\n UNION ALL\n " + endDays + undated.whereClause(level: endDayLevel, and: [days]) + ") x"
    }

    /// The end days as ranges of `x.activity_date` (each a range the day index of SQL/015 reads), or nil when the
    /// range starts on a 1st and ends on a month's last day (or is open at that end).
    var endDays: SQL? {
        var ranges: [SQL] = []
        if let from, let wholeFrom, from < wholeFrom {
            ranges.append("(x.activity_date >= \(from.iso)::date AND x.activity_date < \(wholeFrom.iso)::date)")
        }
        if let to, let wholeUntil, wholeUntil <= to {
            ranges.append("(x.activity_date >= \(wholeUntil.iso)::date AND x.activity_date <= \(to.iso)::date)")
        }
        return ranges.isEmpty ? nil : "(" + SQL.joined(ranges, separator: " OR ") + ")"
    }
}
