import Postgres

/// Confirms that every name in a filter matches something, so a typo is reported instead of
/// answering with nothing. Names are compared the way the filter SQL compares them.
public enum FilterCheck {
    public static func check(_ filter: Filter, on connection: Connection) throws {
        if let school = filter.school {
            try require(
                "school", school, on: connection,
                exists: "SELECT EXISTS (SELECT 1 FROM qa.school WHERE name_key = lower(btrim(\(school)))) AS found",
                names: "SELECT name FROM qa.school ORDER BY name")
        }
        if let subject = filter.subject {
            try require(
                "subject", subject, on: connection,
                exists: "SELECT EXISTS (SELECT 1 FROM qa.subject WHERE name_key = lower(btrim(\(subject)))) AS found",
                names: "SELECT name FROM qa.subject ORDER BY name")
        }
        if let staff = filter.staff {
            try require(
                "staff member", staff, on: connection,
                exists: "SELECT EXISTS (\(Filter.staffIDs(staff))) AS found",
                names: "SELECT DISTINCT name FROM qa.staff WHERE name IS NOT NULL ORDER BY name")
        }
        // A cohort the loads have not listed in qa.cohort is looked for among the records by the key index
        // (SQL/020): counted, not tested with EXISTS, for which PostgreSQL read the records one by one hoping to meet
        // one early, and a name that matches nothing was reported only after reading them all (1.3-1.9 s at 3
        // million records; EXISTS over the keys, 7 s).
        if let cohort = filter.cohort, cohort.trimmedSpaces.lowercased() != "unspecified" {
            try require(
                "cohort", cohort, on: connection,
                exists: """
                    SELECT EXISTS (SELECT 1 FROM qa.cohort WHERE name_key = lower(btrim(\(cohort))))
                        OR (SELECT count(*) FROM qa.evidence e
                             WHERE qa.cohort_keys(e.cohorts, e.academic_year, e.term) @> ARRAY['c:' || lower(btrim(\(cohort)))]
                               AND e.withdrawn_at IS NULL) > 0 AS found
                    """,
                names: "SELECT name FROM qa.cohort ORDER BY name")
        }
        if case .group(let group)? = filter.yearGroup {
            let found: Bool = try connection.query(
                "SELECT EXISTS (SELECT 1 FROM qa.evidence WHERE year_groups @> ARRAY[\(group.number)]::smallint[]) AS found"
            ).single().decode("found")
            if !found { throw QueryError.noMatch(what: "evidence for year group", value: group.description, suggestion: nil) }
        }
    }

    static func require(_ what: String, _ value: String, on connection: Connection, exists: SQL, names: SQL) throws {
        let found: Bool = try connection.query(exists).single().decode("found")
        guard !found else { return }
        let candidates: [String] = try connection.query(names).rows.map { try $0.decode("name") }
        throw QueryError.noMatch(
            what: what, value: value, suggestion: EditDistance.suggestion(for: value, among: candidates))
    }
}
