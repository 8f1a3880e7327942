/// Counts school working days: Monday to Friday, less the trust's closure days.
public struct WorkingDays: Sendable {
    public let closures: Set<CalendarDate>

    public init(closures: Set<CalendarDate> = []) { self.closures = closures }

    public func isWorkingDay(_ date: CalendarDate) -> Bool { !date.isWeekend && !closures.contains(date) }

    /// Working days after `start` up to and including `end` (policy 7.1/7.2 deadlines count this way):
    /// an activity on Friday with feedback on Monday took 1 working day. Zero when `end <= start`.
    public func count(after start: CalendarDate, through end: CalendarDate) -> Int {
        guard end > start else { return 0 }
        var n = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isWorkingDay(day) { n += 1 }
            day = day.adding(days: 1)
        }
        return n
    }

    /// The last day on which feedback is still on time: `limit` working days after `start`.
    public func deadline(after start: CalendarDate, workingDays limit: Int) -> CalendarDate {
        var day = start
        var left = limit
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }
}

/// The feedback deadlines in the policy: verbal within 5 working days (7.1), written within 10 (7.2).
public enum FeedbackDeadline {
    public static let verbalWorkingDays = 5
    public static let writtenWorkingDays = 10
}
