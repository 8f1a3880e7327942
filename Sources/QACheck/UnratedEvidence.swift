import Postgres

extension DataCheck {
    /// Evidence that rates no standard at all. Informal feedback usually carries no rating (policy 2.7)
    /// and is left out; for every other activity a record without ratings counts for nothing in the
    /// distributions. Withdrawn records are left out.
    public static let unratedEvidence = DataCheck(
        name: "unrated_evidence", level: .warn,
        explanation: { _ in "a record other than informal feedback rates no standard" },
        query: { _ in
            """
            SELECT e.source, e.evidence_id, e.activity, e.activity_date::text AS activity_date, sc.name AS school
              FROM qa.evidence e
              JOIN qa.school sc ON sc.school_id = e.school_id
             WHERE e.withdrawn_at IS NULL AND e.activity <> 'informal_feedback'
               AND NOT EXISTS (SELECT 1 FROM qa.rating r WHERE r.evidence_pk = e.evidence_pk)
             ORDER BY e.activity_date, e.source, e.evidence_id
            """
        })
}
