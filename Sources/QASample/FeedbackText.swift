import QACore

/// The free text of a record: strengths, areas for development and next steps.
/// A few records carry awkward text (commas, quotes, line breaks, accents, emoji and
/// formula-like openings) so that CSV readers and exporters are exercised.
enum FeedbackText {
    static let strengths: [String] = [
        "Clear routines; pupils settled quickly and were ready to learn",
        "Excellent modelling of new vocabulary",
        "Strong subject knowledge evident in explanations",
        "Retrieval practice at the start of the lesson was well pitched",
        "Questioning checked understanding across the room",
        "Books show well-sequenced work building on prior learning",
        "Pupils spoke confidently about what they had learned",
        "Adaptive teaching supported pupils with SEND well",
        "Positive, respectful relationships throughout",
        "High expectations of presentation and effort",
        "Reading is prioritised and well supported",
        "Feedback in books is acted upon by pupils",
    ]

    static let areas: [String] = [
        "Check understanding before moving on",
        "Pitch of challenge for the most able",
        "Consistency of behaviour routines at transitions",
        "Use of assessment to adapt the sequence of lessons",
        "Opportunities for extended writing",
        "Recall of prior learning is not yet secure",
        "Scaffolds for disadvantaged pupils are removed too early",
        "Subject-specific vocabulary is not consistently modelled",
        "Pace in the independent task",
        "Presentation in books varies between classes",
    ]

    static let nextSteps: [String] = [
        "Plan hinge questions for each lesson",
        "Visit a colleague in the department to see retrieval practice",
        "Use mini whiteboards to check all pupils' answers",
        "Revisit the curriculum plan with the subject leader",
        "Share practice at the next department meeting",
        "Introduce a knowledge organiser for the unit",
        "Follow up with a further lesson visit in two weeks",
    ]

    static let awkward: [String] = [
        "Pupils said \"it's the best lesson\", and meant it",
        "Strong start, however:\n- pace dropped\n- plenary rushed",
        "Windows line break here\r\nand here",
        "Élodie’s café-style discussion — très bien 👍",
        "=SUM(A1:A9)",
        "+44 parents' evening follow-up",
        "-ve attitudes in Y9, see note",
        "@SENCo please review the provision map",
        "Tab\tseparated, \"quoted\" and, commas",
        "Ōtautahi exchange: 🌍📚 global reading",
        "=HYPERLINK(\"http://example.invalid\",\"click\")",
        "Back\\slash and /forward/ slash",
    ]

    static func text(worst: Rating?, activity: Activity, _ rng: inout SplitMix64)
        -> (strengths: String?, areas: String?, nextSteps: String?)
    {
        var s: String? = strengths[rng.below(strengths.count)]
        var a: String? = areas[rng.below(areas.count)]
        var n: String? = nextSteps[rng.below(nextSteps.count)]
        if rng.chance(0.2), let first = s {
            let second = strengths[rng.below(strengths.count)]
            if second != first { s = "\(first), and \(second.lowercased())" }
        }
        // Records with nothing rated below Green often have no development point.
        let needsWork = worst.map { $0 <= .amber } ?? false
        if !needsWork && rng.chance(0.3) { a = nil }
        if activity == .informalFeedback && rng.chance(0.5) { n = nil }
        if rng.chance(0.05) { n = nil }
        // A Red usually leads to an informal support programme (policy 8.8).
        if worst == .red, rng.chance(0.5) { n = "Agree a six-week support programme, reviewed at the end of the cycle" }
        if rng.chance(0.04) {
            let odd = awkward[rng.below(awkward.count)]
            switch rng.below(3) {
            case 0: s = odd
            case 1: a = odd
            default: n = odd
            }
        }
        return (s, a, n)
    }
}
