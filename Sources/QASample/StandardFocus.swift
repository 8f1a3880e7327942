import QACore

/// Which standards a record of each activity rates (policy section 6).
enum StandardFocus {
    /// Lesson visits rate 3 or 4 standards (policy 6.27), most often the ones visible in a classroom.
    static let lessonVisit = WeightedChoice<Standard>([
        (.behaviour, 5), (.attitudes, 4), (.safeguarding, 1.5), (.equalityAndDiversity, 1.5),
        (.ambitiousCurriculum, 1.5), (.subjectKnowledge, 3), (.curriculumDelivery, 5), (.remembering, 4),
        (.assessment, 4), (.achievement, 2), (.personalDevelopment, 1.5), (.readingAndMaths, 2),
    ])
    /// Work scrutiny: standards 5 to 10.
    static let workScrutiny: [Standard] = [.ambitiousCurriculum, .subjectKnowledge, .curriculumDelivery,
                                           .remembering, .assessment, .achievement]
    /// Pupil discussion: standards 3, 5, 6, 7, 8, 9 and 10.
    static let pupilDiscussion: [Standard] = [.safeguarding] + workScrutiny
    static let subjectLeaderDiscussion: [Standard] = workScrutiny + [.readingAndMaths]
    static let curriculumPlanReview: [Standard] = [.ambitiousCurriculum, .subjectKnowledge,
                                                   .curriculumDelivery, .remembering]
    static let deepDiveExtras: [Standard] = [.behaviour, .attitudes, .personalDevelopment, .readingAndMaths]

    /// The standards one record rates, in standard order.
    static func standards(for activity: Activity, weak: Standard?, _ rng: inout SplitMix64) -> [Standard] {
        var chosen: [Standard]
        switch activity {
        case .lessonVisit:
            let count = rng.chance(0.55) ? 3 : 4
            chosen = []
            // A support candidate's weak standard is followed up at most visits.
            if let weak, rng.chance(0.6) { chosen.append(weak) }
            while chosen.count < count {
                if let s = lessonVisit.draw(&rng), !chosen.contains(s) { chosen.append(s) }
            }
        case .workScrutiny: chosen = subset(workScrutiny, count: rng.int(in: 3...6), &rng)
        case .pupilDiscussion: chosen = subset(pupilDiscussion, count: rng.int(in: 3...6), &rng)
        case .subjectLeaderDiscussion: chosen = subset(subjectLeaderDiscussion, count: rng.int(in: 2...5), &rng)
        case .curriculumPlanReview: chosen = subset(curriculumPlanReview, count: rng.int(in: 2...4), &rng)
        case .deepDive:
            // The summary triangulates standards 5 to 10, often with one or two more.
            chosen = workScrutiny + subset(deepDiveExtras, count: rng.int(in: 0...2), &rng)
        case .peerReview: chosen = subset(Standard.allCases, count: rng.int(in: 6...12), &rng)
        case .informalFeedback:
            // Usually no rating at all.
            chosen = rng.chance(0.85) ? [] : subset(Standard.allCases, count: rng.int(in: 1...2), &rng)
        }
        return chosen.sorted()
    }

    /// `count` distinct items drawn without replacement (partial Fisher–Yates).
    static func subset<T>(_ items: [T], count: Int, _ rng: inout SplitMix64) -> [T] {
        var pool = items
        let n = min(count, pool.count)
        for i in 0..<n { pool.swapAt(i, i + rng.below(pool.count - i)) }
        return Array(pool.prefix(n))
    }
}
