import QACore

/// A teacher in the synthetic trust.
struct SampleStaff: Sendable {
    let id: String
    let name: String
    let role: String
    let school: Int
    /// Indices into the school's subjects: the one or two a secondary teacher teaches; empty for a
    /// primary class teacher, who teaches everything.
    let subjects: [Int]
    /// A primary teacher's class.
    let classYear: YearGroup?
    /// How this teacher's practice sits against the trust (latent scale, 0 = typical).
    let quality: Double
    /// A standard this teacher clearly struggles with: the "support candidates" of policy 8.8.
    let weakStandard: Standard?
}

/// An academy in the synthetic trust, with the quality offsets that make its ratings its own.
struct SampleSchool: Sendable {
    let name: String
    let urn: String
    let phase: Phase
    let years: [YearGroup]
    let subjects: [String]
    let subjectChoice: WeightedChoice<Int>
    /// Per subject, how the department sits against the school (latent scale).
    let subjectQuality: [Double]
    var quality: Double
    /// Probability that feedback is late rather than on time; some schools are worse at it.
    let lateFeedback: Double
    let staff: [Int]
    /// Per subject, the staff who teach it (every member of staff in a primary school).
    let teachers: [[Int]]
    /// Per subject, the member of staff who leads it.
    let subjectLeaders: [Int]
    let observers: [String]
}

/// The schools, staff and senior leaders behind a sample: drawn once from the seed.
struct SampleTrust: Sendable {
    let schools: [SampleSchool]
    let staff: [SampleStaff]
    /// Larger schools carry out more QA.
    let schoolChoice: WeightedChoice<Int>

    init(schools count: Int, rng: inout SplitMix64) {
        var schools: [SampleSchool] = []
        var staff: [SampleStaff] = []
        var usedNames = Set<String>()
        var usedURNs = Set<Int>()
        for index in 0..<max(1, count) {
            // The first two schools fix one of each phase; the rest are about two-thirds primary.
            let phase: Phase = index == 0 ? .primary : index == 1 ? .secondary : (rng.chance(0.65) ? .primary : .secondary)
            let name = Self.uniqueName(phase: phase, index: index, used: &usedNames, &rng)
            var urn = rng.int(in: 136_000...149_999)
            while !usedURNs.insert(urn).inserted { urn = rng.int(in: 100_000...999_999) }
            var builder = SchoolStaffing(school: index, phase: phase, firstStaffNumber: staff.count + 1, rng: rng.split())
            let school = builder.build(name: name, urn: String(urn))
            staff.append(contentsOf: builder.staff)
            schools.append(school)
        }
        Self.ensureSupportCandidate(&staff, &rng)
        // Centre the schools (weighted by size) so the trust's overall mix stays near its targets
        // whatever the seed; the schools still differ from one another.
        let headcount = Double(staff.count)
        let mean = schools.reduce(0) { $0 + $1.quality * Double($1.staff.count) } / headcount
        for i in schools.indices { schools[i].quality -= mean }
        self.schools = schools
        self.staff = staff
        schoolChoice = WeightedChoice(schools.indices.map { ($0, Double(schools[$0].staff.count)) })
    }

    private static func uniqueName(phase: Phase, index: Int, used: inout Set<String>, _ rng: inout SplitMix64) -> String {
        for _ in 0..<40 {
            let name = SchoolNames.draw(phase: phase, &rng)
            if used.insert(name).inserted { return name }
        }
        // The pools are exhausted (hundreds of schools): number the name, as trusts do for new sites.
        var n = 2
        let base = SchoolNames.draw(phase: phase, &rng)
        while !used.insert("\(base) \(n)").inserted { n += 1 }
        return "\(base) \(n)"
    }

    /// Every sample has at least one clear support candidate, however small.
    private static func ensureSupportCandidate(_ staff: inout [SampleStaff], _ rng: inout SplitMix64) {
        guard !staff.contains(where: { $0.weakStandard != nil }), !staff.isEmpty else { return }
        let i = rng.below(staff.count)
        let s = staff[i]
        staff[i] = SampleStaff(id: s.id, name: s.name, role: s.role, school: s.school, subjects: s.subjects,
                               classYear: s.classYear, quality: s.quality - 0.3, weakStandard: .assessment)
    }
}
