import Postgres

extension DataCheck {
    /// A record rating more standards than the policy expects of its activity (qa.activity_type's
    /// max_rated_standards): today, a lesson visit rating more than 4 ("only 3 or 4 standards", 6.27).
    /// The loader accepts such records with a warning; this check keeps them visible. Withdrawn records
    /// are left out.
    public static let tooManyStandardsRated = DataCheck(
        name: "too_many_standards_rated", level: .warn,
        explanation: { _ in "a lesson visit rates more than 4 standards (the policy expects 3 or 4)" },
        query: { _ in
            """
            SELECT e.source, e.evidence_id, e.activity, e.activity_date::text AS activity_date,
                   count(*) AS standards_rated, t.max_rated_standards AS policy_maximum
              FROM qa.evidence e
              JOIN qa.activity_type t ON t.code = e.activity
              JOIN qa.rating r ON r.evidence_pk = e.evidence_pk
             WHERE e.withdrawn_at IS NULL AND t.max_rated_standards IS NOT NULL
             GROUP BY e.evidence_pk, e.source, e.evidence_id, e.activity, e.activity_date, t.max_rated_standards
            HAVING count(*) > t.max_rated_standards
             ORDER BY e.activity_date, e.source, e.evidence_id
            """
        })
}
