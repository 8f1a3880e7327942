import QACore

/// Produces the records of a sample one at a time, in date order, holding only the trust and
/// the deep dive in progress: memory stays flat however many records are asked for.
struct EvidenceStream: IteratorProtocol {
    private let trust: SampleTrust
    private let total: Int
    private var rng: SplitMix64
    private var produced = 0
    private var deepDive: DeepDivePlan?
    private var deepDives = 0

    /// Activities outside deep dives, by how often schools record them.
    static let activityMix = WeightedChoice<Activity>([
        (.lessonVisit, 62), (.workScrutiny, 11), (.pupilDiscussion, 7), (.subjectLeaderDiscussion, 5),
        (.curriculumPlanReview, 4), (.informalFeedback, 9), (.peerReview, 0.6),
    ])
    /// Chance that a record starts a deep dive; with about eight records each, roughly 13% of records.
    static let deepDiveStart = 0.018

    init(trust: SampleTrust, records: Int, rng: SplitMix64) {
        self.trust = trust
        self.total = max(0, records)
        self.rng = rng
    }

    mutating func next() -> EvidenceRecord? {
        guard produced < total else { return nil }
        let index = produced
        produced += 1
        let days = SchoolCalendar.days
        let dayIndex = index * days.count / total

        if deepDive == nil, total - index >= 5, rng.chance(Self.deepDiveStart) {
            deepDive = startDeepDive(dayIndex: dayIndex, remaining: total - index)
        }
        if var dive = deepDive, let step = dive.next() {
            deepDive = dive.isFinished ? nil : dive
            return deepDiveRecord(index: index, dive: dive, activity: step.activity, date: step.date)
        }
        let activity = Self.activityMix.draw(&rng) ?? .lessonVisit
        return standaloneRecord(index: index, activity: activity, date: days[dayIndex])
    }

    // MARK: - Choosing who and what

    private mutating func startDeepDive(dayIndex: Int, remaining: Int) -> DeepDivePlan {
        let days = SchoolCalendar.days
        let schoolIndex = trust.schoolChoice.draw(&rng) ?? 0
        let school = trust.schools[schoolIndex]
        let subject = school.subjectChoice.draw(&rng) ?? 0
        let first = days[dayIndex]
        let second = rng.chance(0.6) ? days[min(dayIndex + 1, days.count - 1)] : first
        deepDives += 1
        return DeepDivePlan(
            id: "DD" + SchoolStaffing.padded(deepDives, width: 5), school: schoolIndex, subject: subject,
            days: (first, second), lead: rng.pick(school.observers) ?? "", maxRecords: remaining, &rng)
    }

    private mutating func deepDiveRecord(index: Int, dive: DeepDivePlan, activity: Activity, date: CalendarDate) -> EvidenceRecord {
        let school = trust.schools[dive.school]
        let leader = school.subjectLeaders[dive.subject]
        let staffIndex: Int
        switch activity {
        case .subjectLeaderDiscussion, .deepDive: staffIndex = leader
        default: staffIndex = rng.pick(school.teachers[dive.subject]) ?? leader
        }
        return record(index: index, activity: activity, date: date, schoolIndex: dive.school,
                      staffIndex: staffIndex, subject: dive.subject, observer: dive.lead, deepDiveID: dive.id)
    }

    private mutating func standaloneRecord(index: Int, activity: Activity, date: CalendarDate) -> EvidenceRecord {
        let schoolIndex = trust.schoolChoice.draw(&rng) ?? 0
        let school = trust.schools[schoolIndex]
        if activity == .peerReview {
            // An external review of the whole academy, led by a leader from another school.
            let other = trust.schools.count > 1 ? (schoolIndex + 1 + rng.below(trust.schools.count - 1)) % trust.schools.count : schoolIndex
            let reviewer = rng.pick(trust.schools[other].observers) ?? ""
            return record(index: index, activity: activity, date: date, schoolIndex: schoolIndex,
                          staffIndex: nil, subject: nil, observer: reviewer, deepDiveID: nil)
        }
        let staffIndex: Int
        let subject: Int
        switch activity {
        case .subjectLeaderDiscussion, .curriculumPlanReview:
            subject = school.subjectChoice.draw(&rng) ?? 0
            staffIndex = school.subjectLeaders[subject]
        default:
            staffIndex = rng.pick(school.staff) ?? 0
            let mine = trust.staff[staffIndex].subjects
            subject = mine.isEmpty ? (school.subjectChoice.draw(&rng) ?? 0) : mine[rng.below(mine.count)]
        }
        var observer = rng.pick(school.observers) ?? ""
        // Lesson visits are sometimes paired (policy 6.27).
        if activity == .lessonVisit, rng.chance(0.05), let second = rng.pick(school.observers), second != observer {
            observer += " & " + second
        }
        return record(index: index, activity: activity, date: date, schoolIndex: schoolIndex,
                      staffIndex: staffIndex, subject: subject, observer: observer, deepDiveID: nil)
    }

    // MARK: - Building the record

    private mutating func record(
        index: Int, activity: Activity, date: CalendarDate, schoolIndex: Int, staffIndex: Int?,
        subject: Int?, observer: String, deepDiveID: String?
    ) -> EvidenceRecord {
        let school = trust.schools[schoolIndex]
        let staff = staffIndex.map { trust.staff[$0] }
        let standards = StandardFocus.standards(for: activity, weak: staff?.weakStandard, &rng)
        var ratings: [Standard: Rating] = [:]
        ratings.reserveCapacity(standards.count)
        var worst: Rating?
        for standard in standards {
            let rating = RatingModel.rating(school: school, subject: subject, staff: staff,
                                            standard: standard, date: date, &rng)
            ratings[standard] = rating
            worst = min(worst ?? rating, rating)
        }
        let feedback = FeedbackTiming.dates(after: date, activity: activity, lateness: school.lateFeedback, &rng)
        let text = FeedbackText.text(worst: worst, activity: activity, &rng)
        return EvidenceRecord(
            evidenceID: "EV" + SchoolStaffing.padded(index + 1, width: 7),
            school: school.name,
            schoolURN: school.urn,
            staffID: staff?.id,
            staffName: staff?.name,
            staffRole: staff?.role,
            observer: observer,
            activity: activity,
            subject: subject.map { school.subjects[$0] },
            date: date,
            verbalFeedbackDate: feedback.verbal,
            writtenFeedbackDate: feedback.written,
            yearGroups: yearGroups(activity: activity, school: school, staff: staff),
            cohorts: cohorts(activity: activity),
            ratings: ratings,
            strengths: text.strengths,
            areasForDevelopment: text.areas,
            nextSteps: text.nextSteps,
            deepDiveID: deepDiveID)
    }

    private mutating func yearGroups(activity: Activity, school: SampleSchool, staff: SampleStaff?) -> [YearGroup] {
        let years = school.years
        switch activity {
        case .peerReview:
            return []
        case .lessonVisit, .informalFeedback:
            if let own = staff?.classYear { return [own] }
            return rng.pick(years).map { [$0] } ?? []
        case .pupilDiscussion:
            // A small group drawn from two year groups (policy 6.21).
            return StandardFocus.subset(years, count: 2, &rng).sorted()
        case .workScrutiny:
            return StandardFocus.subset(years, count: rng.int(in: 1...3), &rng).sorted()
        case .deepDive:
            return StandardFocus.subset(years, count: rng.int(in: 2...4), &rng).sorted()
        case .subjectLeaderDiscussion, .curriculumPlanReview:
            return rng.chance(0.6) ? [] : StandardFocus.subset(years, count: rng.int(in: 1...3), &rng).sorted()
        }
    }

    private mutating func cohorts(activity: Activity) -> [Cohort] {
        let count: Int
        switch activity {
        case .workScrutiny, .pupilDiscussion, .deepDive:
            count = rng.int(in: 1...3)
        case .lessonVisit:
            let roll = rng.unit()
            count = roll < 0.65 ? 0 : roll < 0.9 ? 1 : 2
        default:
            count = rng.chance(0.75) ? 0 : 1
        }
        let all = PupilGroups.cohorts
        var picked = StandardFocus.subset(Array(all.indices), count: count, &rng)
        // Pupil discussions usually include key cohort pupils (policy 6.21).
        if activity == .pupilDiscussion, !picked.contains(PupilGroups.keyCohortIndex), rng.chance(0.6) {
            picked[0] = PupilGroups.keyCohortIndex
        }
        return picked.sorted().map { all[$0] }
    }
}
