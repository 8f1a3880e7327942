import QACore

/// When verbal and written feedback were given (policy 7.1, 7.2): mostly on time,
/// some late, some never recorded. Never before the activity.
enum FeedbackTiming {
    static let workingDays = WorkingDays()

    static func dates(
        after date: CalendarDate, activity: Activity, lateness: Double, _ rng: inout SplitMix64
    ) -> (verbal: CalendarDate?, written: CalendarDate?) {
        let verbal: CalendarDate?
        let roll = rng.unit()
        if roll < 0.06 {
            verbal = nil
        } else if roll < 0.06 + lateness {
            verbal = workingDays.deadline(after: date, workingDays: rng.int(in: 6...15))
        } else {
            // On time, and usually the same day or the next.
            let days = rng.chance(0.7) ? rng.int(in: 0...1) : rng.int(in: 2...FeedbackDeadline.verbalWorkingDays)
            verbal = workingDays.deadline(after: date, workingDays: days)
        }

        // Informal feedback is a conversation: a written record is unusual.
        let missingWritten = activity == .informalFeedback ? 0.8 : 0.12
        let written: CalendarDate?
        let second = rng.unit()
        if second < missingWritten {
            written = nil
        } else if second < missingWritten + lateness {
            written = workingDays.deadline(after: date, workingDays: rng.int(in: 11...30))
        } else {
            written = workingDays.deadline(after: date, workingDays: rng.int(in: 1...FeedbackDeadline.writtenWorkingDays))
        }
        // Written feedback follows the conversation.
        if let v = verbal, let w = written, w < v { return (verbal, v) }
        return (verbal, written)
    }
}
