import Postgres

extension DataCheck {
    /// Feedback dated before the activity it is about. The schema's CHECK constraints and the reader both
    /// refuse it, so this check proves they still do (withdrawn records included).
    public static let feedbackBeforeActivity = DataCheck(
        name: "feedback_before_activity", level: .error,
        explanation: { _ in "verbal or written feedback is dated before the activity it is about" },
        query: { _ in
            """
            SELECT e.source, e.evidence_id, e.activity_date::text AS activity_date,
                   e.verbal_feedback_date::text AS verbal_feedback_date,
                   e.written_feedback_date::text AS written_feedback_date
              FROM qa.evidence e
             WHERE e.verbal_feedback_date < e.activity_date OR e.written_feedback_date < e.activity_date
             ORDER BY e.source, e.evidence_id
            """
        })
}
