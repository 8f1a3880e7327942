import QACore
import QAQuery
import Testing

@Suite struct FeedbackTests {
    /// Half term 13-17 February 2023 is closed. Today is Monday 20 March 2023.
    func fixture() throws -> Fixture {
        let f = try Fixture()
        let oak = try f.school("Oakfield Academy")
        let maths = try f.subject("Maths")
        let ann = try f.staff("Ann Archer", school: oak)
        try f.connection.execute(
            "INSERT INTO qa.closure_day SELECT d::date, 'half term' FROM generate_series('2023-02-13'::date, '2023-02-17', '1 day') d")
        // Friday before half term; verbal the Monday after it: 1 working day. Written 11 working days: late.
        try f.record("F1", school: oak, subject: maths, staff: ann, date: "2023-02-10", observer: "Olive",
                     verbal: "2023-02-20", written: "2023-03-06", ratings: [1: .green])
        // Verbal exactly 5 working days later: on time. No written yet, 10 working days elapsed: pending.
        try f.record("F2", school: oak, subject: maths, staff: ann, date: "2023-03-06", observer: "Olive",
                     verbal: "2023-03-13", ratings: [1: .green])
        // No verbal after 10 working days: missing. Written on the 10th working day: on time.
        try f.record("F3", school: oak, subject: maths, staff: ann, date: "2023-03-06", observer: "Paul",
                     written: "2023-03-20", ratings: [1: .green])
        try f.record("F4", school: oak, subject: maths, staff: ann, date: "2023-03-06", observer: "Olive",
                     withdrawn: true, ratings: [1: .green])
        return f
    }

    let today = CalendarDate(year: 2023, month: 3, day: 20)!

    @Test func onTimeLateMissingAndPendingCountWorkingDaysLessClosures() throws {
        let f = try fixture()
        let rows = try FeedbackTimeliness(today: today).run(on: f.connection)
        #expect(rows == [
            FeedbackRow(level: "school", name: "Oakfield Academy", records: 3,
                        verbal: FeedbackCounts(onTime: 2, late: 0, missing: 1, pending: 0, medianDays: 3),
                        written: FeedbackCounts(onTime: 1, late: 1, missing: 0, pending: 1, medianDays: 10.5)),
            FeedbackRow(level: "observer", name: "Olive", records: 2,
                        verbal: FeedbackCounts(onTime: 2, late: 0, missing: 0, pending: 0, medianDays: 3),
                        written: FeedbackCounts(onTime: 0, late: 1, missing: 0, pending: 1, medianDays: 11)),
            FeedbackRow(level: "observer", name: "Paul", records: 1,
                        verbal: FeedbackCounts(onTime: 0, late: 0, missing: 1, pending: 0, medianDays: nil),
                        written: FeedbackCounts(onTime: 1, late: 0, missing: 0, pending: 0, medianDays: 10)),
        ])
    }

    @Test func withoutTheClosureDaysTheSameFeedbackIsLate() throws {
        let f = try fixture()
        try f.connection.execute("DELETE FROM qa.closure_day")
        let school = try #require(FeedbackTimeliness(today: today).run(on: f.connection).first)
        // F1's verbal feedback now took 6 working days.
        #expect(school.verbal.onTime == 1 && school.verbal.late == 1)
        #expect(school.verbal.medianDays == 5.5)
    }

    @Test func aDayEarlierTheMissingFeedbackIsStillPending() throws {
        let f = try fixture()
        let rows = try FeedbackTimeliness(today: CalendarDate(year: 2023, month: 3, day: 13)!).run(on: f.connection)
        // On 13 March, 5 working days after 6 March: F3's verbal feedback is due today, not yet missing.
        #expect(rows.first?.verbal.pending == 1 && rows.first?.verbal.missing == 0)
    }
}
