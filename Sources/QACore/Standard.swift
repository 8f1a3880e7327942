/// One of the trust's 12 teaching standards (policy section 5).
public enum Standard: Int, CaseIterable, Sendable, Hashable, Comparable, Codable {
    case behaviour = 1
    case attitudes
    case safeguarding
    case equalityAndDiversity
    case ambitiousCurriculum
    case subjectKnowledge
    case curriculumDelivery
    case remembering
    case assessment
    case achievement
    case personalDevelopment
    case readingAndMaths

    /// The standard's number, 1 to 12, as the policy and the exports number them.
    public var number: Int { rawValue }

    public init?(number: Int) { self.init(rawValue: number) }

    public var shortName: String {
        switch self {
        case .behaviour: "Behaviour"
        case .attitudes: "Attitudes"
        case .safeguarding: "Safeguarding"
        case .equalityAndDiversity: "Equality & diversity"
        case .ambitiousCurriculum: "Ambitious curriculum"
        case .subjectKnowledge: "Subject knowledge"
        case .curriculumDelivery: "Curriculum delivery"
        case .remembering: "Remembering"
        case .assessment: "Assessment"
        case .achievement: "Achievement"
        case .personalDevelopment: "Personal development"
        case .readingAndMaths: "Reading & maths"
        }
    }

    public var title: String {
        switch self {
        case .behaviour: "Secure high standards of behaviour from all pupils"
        case .attitudes: "Encourage all pupils to adopt positive, respectful attitudes"
        case .safeguarding: "Ensure that pupils are kept safe from harm, in school and beyond"
        case .equalityAndDiversity: "Promote equal opportunities & respect diversity"
        case .ambitiousCurriculum:
            "Adapt, design or develop a curriculum that is ambitious for all pupils, including the disadvantaged and those with SEND"
        case .subjectKnowledge: "Demonstrate and develop good subject and course knowledge"
        case .curriculumDelivery: "Deliver curriculum content skilfully"
        case .remembering: "Help pupils to remember curriculum content"
        case .assessment: "Use assessment effectively"
        case .achievement: "Help all pupils, including the disadvantaged and those with SEND, to achieve well"
        case .personalDevelopment: "Contribute to pupils' personal development"
        case .readingAndMaths: "Support learning in English, particularly reading, and mathematics"
        }
    }

    public static func < (lhs: Standard, rhs: Standard) -> Bool { lhs.rawValue < rhs.rawValue }
}
