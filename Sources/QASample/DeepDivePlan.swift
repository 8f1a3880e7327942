import QACore

/// A deep dive in progress: one subject in one school over one or two days, made of a subject
/// leader discussion, lesson visits, work scrutiny and a pupil discussion, then the summary form.
/// Its records are written one after another and share a deep_dive_id.
struct DeepDivePlan {
    let id: String
    let school: Int
    let subject: Int
    let firstDay: CalendarDate
    let secondDay: CalendarDate
    let lead: String
    private var activities: [Activity]
    private var position = 0

    init(id: String, school: Int, subject: Int, days: (CalendarDate, CalendarDate), lead: String,
         maxRecords: Int, _ rng: inout SplitMix64) {
        self.id = id
        self.school = school
        self.subject = subject
        (firstDay, secondDay) = days
        self.lead = lead
        var plan: [Activity] = [.subjectLeaderDiscussion]
        plan += Array(repeating: .lessonVisit, count: rng.int(in: 2...4))
        plan += Array(repeating: .workScrutiny, count: rng.int(in: 1...2))
        plan.append(.pupilDiscussion)
        // The summary always closes the dive, even when the sample is nearly full.
        plan = Array(plan.prefix(max(1, maxRecords - 1)))
        plan.append(.deepDive)
        activities = plan
    }

    var isFinished: Bool { position >= activities.count }

    /// The next activity and its day: the first half on day one, the rest (and the summary) on day two.
    mutating func next() -> (activity: Activity, date: CalendarDate)? {
        guard position < activities.count else { return nil }
        let activity = activities[position]
        let date = position * 2 < activities.count ? firstDay : secondDay
        position += 1
        return (activity, date)
    }
}
