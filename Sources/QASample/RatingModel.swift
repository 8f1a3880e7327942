import QACore

/// Draws RAGG* ratings from a latent quality score: the school, the department, the teacher,
/// how demanding the standard is, a slow trend over the years, and the noise of a single visit.
/// Thresholds are set so the trust overall is about 10% Gold, 55% Green, 25% Amber, 10% Red.
enum RatingModel {
    /// Positive is easier to do well. Assessment and achievement are the usual CPD needs;
    /// safeguarding and behaviour are usually secure.
    static let standardEase: [Double] = [
        0.30, 0.25, 0.55, 0.20,     // 1-4
        -0.25, 0.10, 0.00, -0.30,   // 5-8
        -0.45, -0.35, 0.20, -0.15,  // 9-12
    ]
    static let redBelow = -1.37
    static let amberBelow = -0.44
    static let goldFrom = 1.34
    /// How far a support candidate falls short on their weak standard.
    static let weakness = 2.0

    static func rating(
        school: SampleSchool, subject: Int?, staff: SampleStaff?, standard: Standard,
        date: CalendarDate, _ rng: inout SplitMix64
    ) -> Rating {
        var score = school.quality + SchoolCalendar.yearShift(date) + standardEase[standard.rawValue - 1]
        if let subject { score += school.subjectQuality[subject] }
        if let staff {
            score += staff.quality
            if staff.weakStandard == standard { score -= weakness }
        }
        score += rng.normal(spread: 0.8)
        if score < redBelow { return .red }
        if score < amberBelow { return .amber }
        if score < goldFrom { return .green }
        return .gold
    }
}
