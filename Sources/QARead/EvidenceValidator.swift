import QACore

/// Applies the evidence rules to one record's raw values: required fields, real and plausible dates,
/// RAGG* ratings, year groups and cohorts. Keeps small caches of repeated values (activities, year-group
/// and cohort lists) because the same few spellings recur on every row.
final class EvidenceValidator {
    enum Verdict {
        case accepted(EvidenceRecord, warnings: [(column: String?, message: String)])
        case rejected(column: String?, reason: String)
    }

    private let today: CalendarDate
    private static let earliest = CalendarDate(daysSinceEpoch: 10_957) // 2000-01-01
    private var activities = BoundedCache<Activity?>()
    private var yearGroupLists = BoundedCache<Result<[YearGroup], EntryProblem>>()
    private var cohortLists = BoundedCache<Result<[Cohort], EntryProblem>>()

    struct EntryProblem: Error { var entry: String }

    init(today: CalendarDate) { self.today = today }

    /// The first problem in column order wins.
    private struct FirstProblem {
        var position = Int.max
        var column: String?
        var reason = ""
        mutating func note(_ position: Int, _ column: String?, _ reason: String) {
            if position < self.position { (self.position, self.column, self.reason) = (position, column, reason) }
        }
    }

    func validate(_ raw: RawEvidence, labels: ColumnLabels) -> Verdict {
        var problem = FirstProblem()
        func fail(_ column: EvidenceColumn, _ reason: String) {
            problem.note(labels.position(column), labels.name(column), reason)
        }
        func text(_ column: EvidenceColumn) -> String? {
            switch raw[column] {
            case .text(let value)?: return Text.trimmed(value)
            case .list(let entries)?:
                fail(column, "\(labels.name(column)) should be a single value, not a list")
                return Text.trimmed(entries.joined(separator: ";"))
            case .misshapen(let shape)?:
                fail(column, "\(labels.name(column)) should be a single value, not \(shape)")
                return nil
            case nil: return nil
            }
        }
        func required(_ column: EvidenceColumn) -> String? {
            let value = text(column)
            if value == nil { fail(column, "\(labels.name(column)) is blank; every record needs one") }
            return value
        }

        let evidenceID = required(.evidenceID)
        let school = required(.school)
        let urn = text(.schoolURN)
        if let urn, !(urn.utf8.count == 6 && urn.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }) {
            fail(.schoolURN, "\(labels.name(.schoolURN)): \"\(urn)\" is not a six-digit school number (URN)")
        }
        var activity: Activity?
        if let activityText = required(.activity) {
            activity = activities.value(for: activityText) { Activity(parsing: $0) }
            if activity == nil {
                let accepted = Activity.allCases.map(\.words).joined(separator: ", ")
                fail(.activity, "\(labels.name(.activity)): \"\(activityText)\" is not a known activity; expected one of \(accepted)")
            }
        }
        let subject = text(.subject)
        if subject == nil, let activity, activity.requiresSubject {
            fail(.subject, "\(labels.name(.subject)) is blank; a \(activity.words) must name a subject")
        }
        let dateText = required(.date)
        let date = dateText.flatMap { readDate($0, column: .date, labels: labels, fail: fail) }
        var feedback: [CalendarDate?] = []
        for column in [EvidenceColumn.verbalFeedbackDate, .writtenFeedbackDate] {
            guard let value = text(column), let day = readDate(value, column: column, labels: labels, fail: fail) else {
                feedback.append(nil)
                continue
            }
            if let date, let dateText, day < date {
                fail(column, "\(labels.name(column)): \(value) is before the date of the activity, \(dateText)")
            }
            feedback.append(day)
        }
        let yearGroups = entries(.yearGroups, raw: raw, labels: labels, fail: fail, cache: &yearGroupLists) { list in
            var seen = Set<YearGroup>()
            var out: [YearGroup] = []
            for entry in list {
                guard let group = YearGroup(parsing: entry) else { return .failure(EntryProblem(entry: entry)) }
                if seen.insert(group).inserted { out.append(group) }
            }
            return .success(out)
        } describe: { "\(labels.name(.yearGroups)): \"\($0)\" is not a year group; expected R (Reception) or Y1 to Y13" }
        let cohorts = entries(.cohorts, raw: raw, labels: labels, fail: fail, cache: &cohortLists) { list in
            var seen = Set<Cohort>()
            var out: [Cohort] = []
            for entry in list {
                // A pupil group is named in words; "123" or "-" is a slip in the export.
                guard entry.contains(where: \.isLetter), let cohort = Cohort(parsing: entry) else {
                    return .failure(EntryProblem(entry: entry))
                }
                if seen.insert(cohort).inserted { out.append(cohort) }
            }
            return .success(out)
        } describe: {
            "\(labels.name(.cohorts)): \"\($0)\" is not a pupil group; expected names such as SEND, Disadvantaged, Boys, Girls or EAL"
        }
        var ratings = [Standard: Rating](minimumCapacity: 12)
        for standard in Standard.allCases {
            let column = EvidenceColumn.rating(standard)
            guard let value = text(column) else { continue }
            if let rating = RatingSpelling.read(value) {
                ratings[standard] = rating
            } else {
                fail(column, "\(labels.name(column)): \"\(value)\" is not a RAGG* rating; \(Rating.acceptedSpellings)")
            }
        }
        let strengths = text(.strengths), areas = text(.areasForDevelopment), nextSteps = text(.nextSteps)
        let deepDiveID = text(.deepDiveID)
        let staffID = text(.staffID), staffName = text(.staffName), staffRole = text(.staffRole)
        let observer = text(.observer)

        guard problem.position == Int.max, let evidenceID, let school, let activity, let date else {
            return .rejected(column: problem.column, reason: problem.reason)
        }
        var warnings: [(column: String?, message: String)] = []
        if let limit = activity.expectedMaximumRatedStandards, ratings.count > limit {
            warnings.append((nil, "\(activity.words) rates \(ratings.count) standards; the policy expects 3 or \(limit)"))
        }
        let record = EvidenceRecord(
            evidenceID: evidenceID, school: school, schoolURN: urn,
            staffID: staffID, staffName: staffName, staffRole: staffRole, observer: observer,
            activity: activity, subject: subject, date: date,
            verbalFeedbackDate: feedback[0], writtenFeedbackDate: feedback[1],
            yearGroups: yearGroups, cohorts: cohorts, ratings: ratings,
            strengths: strengths, areasForDevelopment: areas, nextSteps: nextSteps, deepDiveID: deepDiveID
        )
        return .accepted(record, warnings: warnings)
    }

    private func readDate(
        _ text: String, column: EvidenceColumn, labels: ColumnLabels, fail: (EvidenceColumn, String) -> Void
    ) -> CalendarDate? {
        let name = labels.name(column)
        switch DateSpelling.parse(text) {
        case .success(let day):
            if day > today {
                fail(column, "\(name): \(text) is in the future (today is \(today.iso))")
            } else if day < EvidenceValidator.earliest {
                fail(column, "\(name): \(text) is before 1 January 2000; check the year")
            } else {
                return day
            }
        case .failure(.noSuchDay):
            fail(column, "\(name): \(text) is not a real date")
        case .failure(.unrecognised):
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 3, parts[2].count == 2, parts[2].allSatisfy(\.isNumber) {
                fail(column, "\(name): \(text) has a two-digit year; write the year in full, e.g. 14/03/2023")
            } else {
                fail(column, "\(name): \"\(text)\" is not a date; write it as 2023-03-14 or 14/03/2023")
            }
        }
        return nil
    }

    /// Reads a list column given as text (`Y7;Y9`, `7, 9`) or as a JSON array.
    private func entries<Item>(
        _ column: EvidenceColumn, raw: RawEvidence, labels: ColumnLabels, fail: (EvidenceColumn, String) -> Void,
        cache: inout BoundedCache<Result<[Item], EntryProblem>>,
        read: ([String]) -> Result<[Item], EntryProblem>, describe: (String) -> String
    ) -> [Item] {
        let result: Result<[Item], EntryProblem>
        switch raw[column] {
        case .text(let value)?:
            result = cache.value(for: value) { text in
                read(text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "|" })
                    .map { String($0.trimmingSpaces()) }.filter { !$0.isEmpty })
            }
        case .list(let values)?:
            result = read(values.map { String($0.trimmingSpaces()) }.filter { !$0.isEmpty })
        case .misshapen(let shape)?:
            fail(column, "\(labels.name(column)) should be a list or text, not \(shape)")
            return []
        case nil:
            return []
        }
        switch result {
        case .success(let items): return items
        case .failure(let problem):
            fail(column, describe(problem.entry))
            return []
        }
    }
}

/// A dictionary that stops growing at a fixed size, so adversarial input cannot fill memory.
struct BoundedCache<Value> {
    private var storage: [String: Value] = [:]
    private let limit = 4096

    mutating func value(for key: String, compute: (String) -> Value) -> Value {
        if let hit = storage[key] { return hit }
        let value = compute(key)
        if storage.count < limit { storage[key] = value }
        return value
    }
}
