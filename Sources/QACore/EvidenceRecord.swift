/// One piece of quality-assurance evidence: what the trust calls an evidence form
/// (or, for a deep dive, a Deep Dive Summary Form), after validation.
public struct EvidenceRecord: Hashable, Sendable {
    /// The record's id in the source system (Standards Tracker, a form tool, ...).
    public var evidenceID: String
    public var school: String
    /// The six-digit UK school number, when the export has it.
    public var schoolURN: String?
    public var staffID: String?
    public var staffName: String?
    public var staffRole: String?
    public var observer: String?
    public var activity: Activity
    /// Nil only for activities that are not about a subject (peer review).
    public var subject: String?
    public var date: CalendarDate
    public var verbalFeedbackDate: CalendarDate?
    public var writtenFeedbackDate: CalendarDate?
    public var yearGroups: [YearGroup]
    public var cohorts: [Cohort]
    /// The standards this record rated; a standard that was not looked at is absent (blank is not a rating).
    public var ratings: [Standard: Rating]
    public var strengths: String?
    public var areasForDevelopment: String?
    public var nextSteps: String?
    /// Groups the activities of one deep dive.
    public var deepDiveID: String?

    public init(
        evidenceID: String, school: String, schoolURN: String? = nil,
        staffID: String? = nil, staffName: String? = nil, staffRole: String? = nil, observer: String? = nil,
        activity: Activity, subject: String?, date: CalendarDate,
        verbalFeedbackDate: CalendarDate? = nil, writtenFeedbackDate: CalendarDate? = nil,
        yearGroups: [YearGroup] = [], cohorts: [Cohort] = [], ratings: [Standard: Rating] = [:],
        strengths: String? = nil, areasForDevelopment: String? = nil, nextSteps: String? = nil,
        deepDiveID: String? = nil
    ) {
        self.evidenceID = evidenceID
        self.school = school
        self.schoolURN = schoolURN
        self.staffID = staffID
        self.staffName = staffName
        self.staffRole = staffRole
        self.observer = observer
        self.activity = activity
        self.subject = subject
        self.date = date
        self.verbalFeedbackDate = verbalFeedbackDate
        self.writtenFeedbackDate = writtenFeedbackDate
        self.yearGroups = yearGroups
        self.cohorts = cohorts
        self.ratings = ratings
        self.strengths = strengths
        self.areasForDevelopment = areasForDevelopment
        self.nextSteps = nextSteps
        self.deepDiveID = deepDiveID
    }

    public var academicYear: AcademicYear { AcademicYear(containing: date) }
}
