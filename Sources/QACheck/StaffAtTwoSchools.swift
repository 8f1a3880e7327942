import Postgres

extension DataCheck {
    /// One member of staff rated at two or more schools on the same day: usually a staff id reused by
    /// two schools, or a record filed under the wrong school. Withdrawn records are left out.
    public static let staffAtTwoSchoolsOnOneDay = DataCheck(
        name: "staff_at_two_schools_on_one_day", level: .warn,
        explanation: { _ in "a member of staff has evidence from two or more schools dated the same day" },
        query: { _ in
            """
            SELECT st.staff_key, coalesce(st.name, st.external_id) AS staff, e.activity_date::text AS activity_date,
                   string_agg(DISTINCT sc.name, ', ') AS schools, count(*) AS records
              FROM qa.evidence e
              JOIN qa.staff st ON st.staff_id = e.staff_id
              JOIN qa.school sc ON sc.school_id = e.school_id
             WHERE e.withdrawn_at IS NULL
             GROUP BY st.staff_id, st.staff_key, st.name, st.external_id, e.activity_date
            HAVING count(DISTINCT e.school_id) > 1
             ORDER BY e.activity_date, st.staff_key
            """
        })
}
