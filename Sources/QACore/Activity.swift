/// A kind of quality-assurance activity (policy section 6).
public enum Activity: String, CaseIterable, Sendable, Hashable, Codable {
    case lessonVisit = "lesson_visit"
    case workScrutiny = "work_scrutiny"
    case pupilDiscussion = "pupil_discussion"
    case subjectLeaderDiscussion = "subject_leader_discussion"
    case deepDive = "deep_dive"
    case curriculumPlanReview = "curriculum_plan_review"
    case peerReview = "peer_review"
    case informalFeedback = "informal_feedback"

    /// The snake_case code stored in the database and written in exports.
    public var code: String { rawValue }

    /// The words leaders use: "lesson visit", "work scrutiny", ...
    public var words: String { String(rawValue.map { $0 == "_" ? " " : $0 }) }

    /// Whether a record of this activity must name a subject (a peer review is of a whole academy).
    public var requiresSubject: Bool { self != .peerReview }

    /// The most standards a single record of this activity is expected to rate, where the policy says so.
    /// A lesson visit focuses on "only 3 or 4 standards" (policy 6.27).
    public var expectedMaximumRatedStandards: Int? { self == .lessonVisit ? 4 : nil }

    /// Accepts the words and the snake_case codes in any case, with spaces, hyphens or underscores,
    /// and the common variants seen in exports ("drop-in", "learning walk" are lesson visits).
    public init?(parsing text: some StringProtocol) {
        let key = Activity.normalise(text)
        if let exact = Activity.allCases.first(where: { Activity.normalise($0.rawValue) == key }) {
            self = exact
            return
        }
        switch key {
        case "lessonobservation", "dropin", "dropinobservation", "learningwalk", "lessonvisits": self = .lessonVisit
        case "bookscrutiny", "bookslook", "booklook", "workscrutinies": self = .workScrutiny
        case "pupilvoice", "studentvoice", "discussionwithpupils", "pupildiscussions": self = .pupilDiscussion
        case "subjectleaderinterview", "subjectleadermeeting": self = .subjectLeaderDiscussion
        case "deepdivesummary", "deepdives": self = .deepDive
        case "curriculumreview", "planningreview", "curriculumplanningreview": self = .curriculumPlanReview
        case "externalreview", "annualreview": self = .peerReview
        case "informalfeedbackform", "informal": self = .informalFeedback
        default: return nil
        }
    }

    static func normalise(_ text: some StringProtocol) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
