import Foundation
import QACore
import Testing
@testable import QASample

/// The sample looks like a real trust's evidence and every record is valid.
@Suite struct ContentTests {
    static let fiveThousand = SampleFiles.records(SampleParameters(schools: 8, records: 5_000, seed: 2_025))

    @Test func everyActivityAndEveryStandardAppears() {
        let activities = Set(Self.fiveThousand.map(\.activity))
        #expect(activities == Set(Activity.allCases))
        let standards = Set(Self.fiveThousand.flatMap(\.ratings.keys))
        #expect(standards == Set(Standard.allCases))
    }

    @Test func lessonVisitsRateThreeOrFourStandards() {
        let visits = Self.fiveThousand.filter { $0.activity == .lessonVisit }
        #expect(visits.count > 2_500)
        #expect(visits.allSatisfy { (3...4).contains($0.ratings.count) })
    }

    @Test func focusedActivitiesRateTheirStandards() {
        let workScrutiny = Set(5...10)
        let pupilDiscussion = Set([3, 5, 6, 7, 8, 9, 10])
        for r in Self.fiveThousand {
            let rated = Set(r.ratings.keys.map(\.number))
            switch r.activity {
            case .workScrutiny: #expect(rated.isSubset(of: workScrutiny) && !rated.isEmpty)
            case .pupilDiscussion: #expect(rated.isSubset(of: pupilDiscussion) && !rated.isEmpty)
            default: break
            }
        }
        let informal = Self.fiveThousand.filter { $0.activity == .informalFeedback }
        #expect(informal.filter { $0.ratings.isEmpty }.count * 10 > informal.count * 7)
    }

    @Test func peerReviewsHaveNoSubjectAndEverythingElseHasOne() {
        for r in Self.fiveThousand {
            #expect((r.subject == nil) == (r.activity == .peerReview), "\(r.evidenceID)")
        }
    }

    @Test func deepDivesShareAnIDWithinOneSchoolSubjectAndTwoDays() {
        var dives: [String: [EvidenceRecord]] = [:]
        for r in Self.fiveThousand { if let id = r.deepDiveID { dives[id, default: []].append(r) } }
        #expect(dives.count >= 20)
        for (id, records) in dives {
            #expect(Set(records.map(\.school)).count == 1, "\(id)")
            #expect(Set(records.map(\.subject)).count == 1, "\(id)")
            let days = Set(records.map(\.date))
            #expect(days.count <= 2, "\(id)")
            if let first = days.min(), let last = days.max() {
                #expect(last.daysSinceEpoch - first.daysSinceEpoch <= 3, "\(id)")
            }
            #expect(records.filter { $0.activity == .deepDive }.count == 1, "\(id)")
            #expect(records.count >= 3, "\(id)")
        }
        // Only deep dive records are grouped, and every summary belongs to a dive.
        #expect(Self.fiveThousand.filter { $0.activity == .deepDive }.allSatisfy { $0.deepDiveID != nil })
    }

    @Test func everyRecordIsValid() {
        let today = CalendarDate.today()
        let earliest = CalendarDate(year: 2000, month: 1, day: 1)
        var ids = Set<String>()
        for r in Self.fiveThousand {
            #expect(ids.insert(r.evidenceID).inserted, "duplicate \(r.evidenceID)")
            #expect(!r.school.isEmpty)
            #expect(r.schoolURN?.count == 6 && r.schoolURN?.allSatisfy(\.isNumber) == true)
            #expect(r.date >= SchoolCalendar.firstDay && r.date <= SchoolCalendar.lastDay)
            #expect(!r.date.isWeekend && r.date.month != 8)
            for feedback in [r.verbalFeedbackDate, r.writtenFeedbackDate].compactMap({ $0 }) {
                #expect(feedback >= r.date, "\(r.evidenceID) feedback before activity")
                #expect(feedback <= today)
                #expect(earliest.map { feedback > $0 } ?? false)
            }
            if let staffID = r.staffID {
                #expect(staffID.hasPrefix("T") && staffID.count >= 5)
                #expect(r.staffName?.isEmpty == false && r.staffRole?.isEmpty == false)
            } else {
                #expect(r.activity == .peerReview)
            }
            #expect(r.observer?.isEmpty == false)
            #expect(r.cohorts.count <= 3)
            #expect(r.yearGroups == r.yearGroups.sorted())
        }
    }

    @Test func feedbackIsMostlyOnTimeWithSomeLateAndSomeMissing() {
        let days = WorkingDays()
        var verbalOnTime = 0, verbalLate = 0, verbalMissing = 0, writtenLate = 0, writtenMissing = 0
        for r in Self.fiveThousand {
            if let v = r.verbalFeedbackDate {
                if days.count(after: r.date, through: v) <= FeedbackDeadline.verbalWorkingDays { verbalOnTime += 1 } else { verbalLate += 1 }
            } else { verbalMissing += 1 }
            if let w = r.writtenFeedbackDate {
                if days.count(after: r.date, through: w) > FeedbackDeadline.writtenWorkingDays { writtenLate += 1 }
            } else { writtenMissing += 1 }
        }
        #expect(verbalOnTime > 4_000)
        #expect(verbalLate > 100 && verbalMissing > 100)
        #expect(writtenLate > 100 && writtenMissing > 100)
    }

    @Test func schoolsHaveUniqueNamesURNsAndBothPhases() {
        let trust = SampleGenerator(SampleParameters(schools: 60, records: 0, seed: 9)).trust
        #expect(trust.schools.count == 60)
        #expect(Set(trust.schools.map(\.name)).count == 60)
        #expect(Set(trust.schools.map(\.urn)).count == 60)
        #expect(trust.schools.allSatisfy { $0.urn.count == 6 && Int($0.urn) != nil })
        #expect(trust.schools.contains { $0.phase == .primary } && trust.schools.contains { $0.phase == .secondary })
        #expect(Set(trust.staff.map(\.id)).count == trust.staff.count)
        let two = SampleGenerator(SampleParameters(schools: 2, records: 0, seed: 1)).trust
        #expect(Set(two.schools.map(\.phase)) == [.primary, .secondary])
    }

    @Test func yearGroupsAndSubjectsMatchThePhase() {
        let trust = SampleGenerator(SampleParameters(schools: 8, records: 5_000, seed: 2_025)).trust
        let phase = Dictionary(uniqueKeysWithValues: trust.schools.map { ($0.name, $0.phase) })
        for r in Self.fiveThousand {
            let years = r.yearGroups.map(\.number)
            switch phase[r.school] {
            case .primary?:
                #expect(years.allSatisfy { (1...6).contains($0) })
                #expect(r.subject != "Sociology")
            case .secondary?:
                #expect(years.allSatisfy { (7...13).contains($0) })
                #expect(r.subject != "Phonics")
            case nil:
                Issue.record("unknown school \(r.school)")
            }
        }
    }

    @Test func someStaffAreClearSupportCandidates() {
        // Staff with at least four ratings on one standard, all Red or Amber, and mostly Red.
        var tallies: [String: (red: Int, amber: Int, better: Int)] = [:]
        for r in Self.fiveThousand {
            guard let staff = r.staffID else { continue }
            for (standard, rating) in r.ratings {
                let key = "\(staff) S\(standard.number)"
                var t = tallies[key] ?? (0, 0, 0)
                switch rating {
                case .red: t.red += 1
                case .amber: t.amber += 1
                default: t.better += 1
                }
                tallies[key] = t
            }
        }
        let candidates = tallies.filter { $0.value.red >= 3 && $0.value.red + $0.value.amber >= 4 && $0.value.better == 0 }
        #expect(candidates.count >= 1)
    }

    @Test func ratingMixIsInTheExpectedBands() {
        for seed: UInt64 in [1, 77, 2_025] {
            var counts: [Rating: Int] = [:]
            for r in SampleGenerator(SampleParameters(schools: 10, records: 20_000, seed: seed)).records() {
                for rating in r.ratings.values { counts[rating, default: 0] += 1 }
            }
            let total = Double(counts.values.reduce(0, +))
            func share(_ rating: Rating) -> Double { Double(counts[rating] ?? 0) / total }
            #expect((0.06...0.14).contains(share(.gold)), "seed \(seed) gold \(share(.gold))")
            #expect((0.48...0.62).contains(share(.green)), "seed \(seed) green \(share(.green))")
            #expect((0.19...0.31).contains(share(.amber)), "seed \(seed) amber \(share(.amber))")
            #expect((0.06...0.15).contains(share(.red)), "seed \(seed) red \(share(.red))")
        }
    }

    @Test func ratingsDifferBySchool() {
        var scores: [String: (sum: Int, n: Int)] = [:]
        for r in Self.fiveThousand {
            for rating in r.ratings.values {
                let s = scores[r.school] ?? (0, 0)
                scores[r.school] = (s.sum + rating.score, s.n + 1)
            }
        }
        let means = scores.values.filter { $0.n > 200 }.map { Double($0.sum) / Double($0.n) }
        #expect((means.max() ?? 0) - (means.min() ?? 0) > 0.2)
    }
}
