import QACore

/// Draws one school's staff, subject leadership and senior leaders.
struct SchoolStaffing {
    let school: Int
    let phase: Phase
    var nextNumber: Int
    var rng: SplitMix64
    private(set) var staff: [SampleStaff] = []

    /// Standards a support candidate may struggle with: the ones lesson visits see most.
    static let weakStandards: [Standard] = [.behaviour, .curriculumDelivery, .remembering, .assessment, .achievement]

    init(school: Int, phase: Phase, firstStaffNumber: Int, rng: SplitMix64) {
        self.school = school
        self.phase = phase
        self.nextNumber = firstStaffNumber
        self.rng = rng
    }

    mutating func build(name: String, urn: String) -> SampleSchool {
        let catalogue = SubjectCatalogue.subjects(for: phase)
        let subjects = catalogue.map(\.0)
        let sixthForm = phase == .secondary && rng.chance(0.6)
        let years = phase == .primary ? PupilGroups.primaryYears
            : Array(PupilGroups.secondaryYears.prefix(sixthForm ? 7 : 5))
        let headcount = phase == .primary ? rng.int(in: 10...22) : rng.int(in: 38...80)
        let firstIndex = nextNumber - 1

        // Who teaches what: a primary class teacher teaches every subject; a secondary teacher one or two.
        var teaching: [[Int]] = []
        for n in 0..<headcount {
            if phase == .primary { teaching.append([]); continue }
            // The first pass gives every subject a teacher; the rest follow the subject weights.
            let main = n < subjects.count ? n : Self.weighted(catalogue, &rng)
            var mine = [main]
            if rng.chance(0.15) {
                let second = Self.weighted(catalogue, &rng)
                if second != main { mine.append(second) }
            }
            teaching.append(mine)
        }
        // Leaders: primary subjects are led in turn by the teachers; a secondary subject by its first teacher.
        let leaders: [Int] = subjects.indices.map { s in phase == .primary ? s % headcount : s }
        let schoolQuality = rng.normal(spread: 0.35)
        for n in 0..<headcount {
            let leads = leaders.contains(n)
            let role: String
            if leads {
                role = phase == .secondary && catalogue[n].1 >= 3 ? "Head of department" : "Subject leader"
            } else if rng.chance(0.15) {
                role = "Early career teacher"
            } else if phase == .secondary && rng.chance(0.1) {
                role = "Second in department"
            } else {
                role = "Class teacher"
            }
            // Early career teachers start a little lower; leaders a little higher.
            let shift = role == "Early career teacher" ? -0.35 : leads ? 0.15 : 0
            let weak: Standard? = rng.chance(0.04) ? Self.weakStandards[rng.below(Self.weakStandards.count)] : nil
            staff.append(SampleStaff(
                id: "T" + Self.padded(nextNumber, width: 4),
                name: PeopleNames.full(&rng),
                role: role,
                school: school,
                subjects: teaching[n],
                classYear: phase == .primary ? years[n % years.count] : nil,
                quality: rng.normal(spread: 0.38) + shift,
                weakStandard: weak))
            nextNumber += 1
        }
        let teachers: [[Int]] = subjects.indices.map { s in
            (0..<headcount).filter { phase == .primary || teaching[$0].contains(s) }.map { firstIndex + $0 }
        }
        let observerCount = rng.int(in: 3...5)
        // Senior leaders: distinct people, none sharing a name with a teacher being observed.
        var taken = Set(staff.suffix(headcount).map(\.name))
        var observers: [String] = []
        while observers.count < observerCount {
            let name = PeopleNames.full(&rng)
            if taken.insert(name).inserted { observers.append(name) }
        }
        return SampleSchool(
            name: name, urn: urn, phase: phase, years: years, subjects: subjects,
            subjectChoice: WeightedChoice(catalogue.indices.map { ($0, catalogue[$0].1) }),
            subjectQuality: subjects.map { _ in rng.normal(spread: 0.35) },
            quality: schoolQuality,
            lateFeedback: 0.04 + rng.unit() * 0.16,
            staff: Array(firstIndex..<(firstIndex + headcount)),
            teachers: teachers,
            subjectLeaders: leaders.map { firstIndex + $0 },
            observers: observers)
    }

    private static func weighted(_ catalogue: [(String, Double)], _ rng: inout SplitMix64) -> Int {
        let total = catalogue.reduce(0) { $0 + $1.1 }
        var target = rng.unit() * total
        for (i, entry) in catalogue.enumerated() {
            target -= entry.1
            if target < 0 { return i }
        }
        return catalogue.count - 1
    }

    static func padded(_ n: Int, width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
