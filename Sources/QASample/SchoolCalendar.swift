import QACore

/// The school days the sample is dated on: academic years 2022/23 to 2024/25
/// (1 September 2022 to 31 July 2025), Monday to Friday, no August and no Christmas fortnight.
/// Fixed dates, so a sample never depends on the day it is generated.
enum SchoolCalendar {
    static let firstDay = CalendarDate(daysSinceEpoch: 19_236) // 2022-09-01
    static let lastDay = CalendarDate(daysSinceEpoch: 20_300)  // 2025-07-31

    static let days: [CalendarDate] = {
        var out: [CalendarDate] = []
        var day = firstDay
        while day <= lastDay {
            let christmas = (day.month == 12 && day.day >= 21) || (day.month == 1 && day.day <= 3)
            if !day.isWeekend, day.month != 8, !christmas { out.append(day) }
            day = day.adding(days: 1)
        }
        return out
    }()

    /// Trend over the three years: QA and CPD slowly lift practice.
    static func yearShift(_ date: CalendarDate) -> Double {
        Double(AcademicYear(containing: date).startYear - 2023) * 0.12
    }
}
