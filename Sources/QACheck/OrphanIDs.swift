import Postgres

extension DataCheck {
    /// Ids that point nowhere. The evidence and rating tables carry no foreign keys (they made bulk loads
    /// several times slower, see SQL/002), because the loader takes every id from a join on the table it
    /// refers to; this check proves nothing else has broken that.
    public static let orphanIDs = DataCheck(
        name: "orphan_ids", level: .error,
        explanation: { _ in "a record or rating refers to a school, subject, staff member or record that does not exist" },
        query: { _ in
            """
            SELECT 'evidence' AS table_name, e.evidence_id AS id, 'school_id ' || e.school_id AS refers_to
              FROM qa.evidence e WHERE NOT EXISTS (SELECT 1 FROM qa.school s WHERE s.school_id = e.school_id)
            UNION ALL
            SELECT 'evidence', e.evidence_id, 'subject_id ' || e.subject_id
              FROM qa.evidence e
             WHERE e.subject_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM qa.subject s WHERE s.subject_id = e.subject_id)
            UNION ALL
            SELECT 'evidence', e.evidence_id, 'staff_id ' || e.staff_id
              FROM qa.evidence e
             WHERE e.staff_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM qa.staff s WHERE s.staff_id = e.staff_id)
            UNION ALL
            SELECT 'rating', r.evidence_pk::text || '/' || r.standard, 'evidence_pk ' || r.evidence_pk
              FROM qa.rating r WHERE NOT EXISTS (SELECT 1 FROM qa.evidence e WHERE e.evidence_pk = r.evidence_pk)
             ORDER BY 1, 2
            """
        })
}
