import Foundation
import Postgres
import Testing
import TestSupport

/// Policy section 3, enforced by PostgreSQL: each role connects as itself and sees only what it may.
@Suite struct AccessControlTests {
    static let header = "evidence_id,school,staff_id,staff_name,activity,subject,date,S1,S7,strengths"

    func prepare() throws -> (TestDatabase, Connection, String) {
        let db = try TestDatabase.create()
        let rows = [
            "E1,Oakfield Academy,T1,Ann Smith,lesson visit,Maths,2023-03-14,G,A,Calm start",
            "E2,Oakfield Academy,T1,Ann Smith,lesson visit,Maths,2023-03-15,R,,Good questions",
            "E3,Oakfield Academy,T2,Bo Lee,work scrutiny,History,2023-03-16,,G,Books tidy",
            "E4,Riverside High,T9,Cy Jones,lesson visit,Maths,2023-03-14,G*,G,Strong modelling",
            "E5,Riverside High,T9,Cy Jones,lesson visit,Art,2023-03-17,A,,Clear aims",
        ]
        let folder = try RepositoryPaths.temporaryFolder("access")
        let path = folder.appendingPathComponent("evidence.csv").path
        try Data(([Self.header] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        let loaded = try runTool(["load", path, "--database", db.conninfo])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        return (db, try db.connect(), "t\(getpid())_\(UUID().uuidString.prefix(6).lowercased())")
    }

    func count(_ connection: Connection, _ sql: SQL) throws -> Int {
        try connection.query(sql).single().decode("n", as: Int.self)
    }

    /// cpd-needs runs its staff level, and the export some distributions, on a second connection with the same
    /// login; a login that may hold one connection only gets the same answer, all of it from its one connection.
    @Test func cpdNeedsAnswersALoginLimitedToOneConnection() throws {
        let (db, admin, prefix) = try prepare()
        // A second weak rating for Ann Smith on standard 1 (Red in E2) flags her there.
        let extra = try RepositoryPaths.temporaryFolder("access-one").appendingPathComponent("more.csv")
        try Data((Self.header + "\nE6,Oakfield Academy,T1,Ann Smith,lesson visit,Maths,2023-03-20,A,,Calm").utf8).write(to: extra)
        let loaded = try runTool(["load", extra.path, "--database", db.conninfo])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        let login = prefix + "_one"
        let granted = try runTool(["access", "grant", "--role", "trust_leader", "--login", login, "--database", db.conninfo])
        #expect(granted.status == 0, "\(granted.stderr)")
        let query = ["query", "cpd-needs", "--all-time", "--format", "csv", "--database", "\(db.conninfo) user=\(login)"]
        let open = try runTool(query)
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stdout.contains("staff,Oakfield Academy,,Ann Smith,1,2,1,1,2,,,,,support candidate"), "\(open.stdout)")
        try admin.execute(SQL(verbatim: "ALTER ROLE \(login) CONNECTION LIMIT 1"))
        let limited = try runTool(query)
        #expect(limited.status == 0, "\(limited.stderr)")
        #expect(limited.stdout == open.stdout)
        // The export, whose distributions over the base tables run on a second connection, too (a cohort filter
        // sends every distribution there).
        let out = try RepositoryPaths.temporaryFolder("access-one-export").appendingPathComponent("set")
        let export = try runTool(["export", "--cohort", "SEND", "--suppress-below", "0", "--out", out.path,
                                  "--database", "\(db.conninfo) user=\(login)"])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("distribution_by_standard.csv").path))
    }

    @Test func aSchoolLeaderSeesOnlyItsSchoolInEveryTableAndQuery() throws {
        let (db, _, prefix) = try prepare()
        let login = prefix + "_head"
        let granted = try runTool(["access", "grant", "--role", "school_leader", "--login", login,
                                   "--school", "oakfield academy", "--database", db.conninfo])
        #expect(granted.status == 0, "\(granted.stderr)")
        let leader = try Connection("\(db.conninfo) user=\(login)")
        #expect(try count(leader, "SELECT count(*) AS n FROM qa.evidence") == 3)
        #expect(try count(leader, "SELECT count(*) AS n FROM qa.rating") == 4)
        #expect(try count(leader, "SELECT count(*) AS n FROM qa.school") == 1)
        #expect(try count(leader, "SELECT count(*) AS n FROM qa.staff") == 2)
        #expect(try count(leader, "SELECT coalesce(sum(n_red + n_amber + n_green + n_gold), 0) AS n FROM qa.rating_summary") == 4)
        #expect(try count(leader, "SELECT coalesce(sum(n), 0) AS n FROM qa.feedback_summary") == 6)
        #expect(try count(leader, "SELECT coalesce(sum(n), 0) AS n FROM qa.feedback_overall_summary") == 6)
        // No record names a cohort or a year group: Oakfield's three, twice each, under unspecified and none.
        #expect(try count(leader, "SELECT coalesce(sum(n), 0) AS n FROM qa.feedback_cohort_summary") == 6)
        #expect(try count(leader, "SELECT coalesce(sum(n), 0) AS n FROM qa.feedback_year_group_summary") == 6)
        #expect(try count(db.connect(), "SELECT coalesce(sum(n), 0) AS n FROM qa.feedback_cohort_summary") == 10)
        #expect(try count(leader, "SELECT coalesce(sum(n), 0) AS n FROM qa.feedback_activity_summary") == 6)
        #expect(try count(db.connect(), "SELECT coalesce(sum(n), 0) AS n FROM qa.feedback_activity_summary") == 10)
        for table in ["feedback_subject_summary", "feedback_subject_overall_summary", "feedback_activity_overall_summary"] {
            #expect(try count(leader, SQL(verbatim: "SELECT coalesce(sum(n), 0) AS n FROM qa.\(table)")) == 6)
            #expect(try count(db.connect(), SQL(verbatim: "SELECT coalesce(sum(n), 0) AS n FROM qa.\(table)")) == 10)
        }
        // Maths (standards 1 and 7) and History (7) at Oakfield; Riverside's three rows are hidden.
        #expect(try count(leader, "SELECT count(*) AS n FROM qa.triangulation_summary") == 3)
        #expect(try count(db.connect(), "SELECT count(*) AS n FROM qa.triangulation_summary") == 6)
        for table in ["rating_staff_overall_summary", "rating_staff_term_summary", "rating_cohort_staff_summary",
                      "rating_year_group_staff_summary", "rating_cohort_term_summary", "rating_year_group_term_summary",
                      "rating_cohort_subject_summary", "rating_year_group_subject_summary", "rating_cohort_month_summary",
                      "rating_year_group_month_summary"] {
            // Oakfield's four ratings, in every staff summary and those of 034 and 035 (no record names a cohort or a year
            // group); Riverside's three are hidden.
            #expect(try count(leader, SQL(verbatim: "SELECT coalesce(sum(n_red + n_amber + n_green + n_gold), 0) AS n FROM qa.\(table)")) == 4)
            #expect(try count(db.connect(), SQL(verbatim: "SELECT coalesce(sum(n_red + n_amber + n_green + n_gold), 0) AS n FROM qa.\(table)")) == 7)
        }
        // The Amber and Red ratings cpd-needs weighs for staff: Oakfield's two (E1, E2); Riverside's E5 is hidden.
        #expect(try count(leader, "SELECT count(*) AS n FROM qa.support_evidence") == 2)
        #expect(try count(db.connect(), "SELECT count(*) AS n FROM qa.support_evidence") == 3)
        #expect(try count(leader, "SELECT coalesce(sum(red + amber), 0) AS n FROM qa.support_evidence_term") == 2)
        #expect(try count(db.connect(), "SELECT coalesce(sum(red + amber), 0) AS n FROM qa.support_evidence_term") == 3)
        for table in ["support_evidence_cohort_term", "support_evidence_year_group_term"] {
            // The same, under unspecified and no year group (SQL/027).
            #expect(try count(leader, SQL(verbatim: "SELECT coalesce(sum(red + amber), 0) AS n FROM qa.\(table)")) == 2)
            #expect(try count(db.connect(), SQL(verbatim: "SELECT coalesce(sum(red + amber), 0) AS n FROM qa.\(table)")) == 3)
        }
        #expect(try count(leader, "SELECT count(*) AS n FROM qa.evidence WHERE school_id <> (SELECT school_id FROM qa.school)") == 0)
        let rejects = #expect(throws: PostgresError.self) { try leader.query("SELECT * FROM qa.load_reject") }
        #expect(rejects?.sqlState == "42501")
        // Through the command line too: the query tool sees one school.
        let query = try runTool(["query", "distribution", "--by", "school", "--format", "csv", "--database", "\(db.conninfo) user=\(login)"])
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout.contains("Oakfield Academy"))
        #expect(!query.stdout.contains("Riverside"))
        let feedback = try runTool(["query", "feedback", "--format", "csv", "--database", "\(db.conninfo) user=\(login)"])
        #expect(feedback.status == 0, "\(feedback.stderr)")
        #expect(feedback.stdout.contains("Oakfield Academy"))
        #expect(!feedback.stdout.contains("Riverside"))
    }

    /// Every table with a school that a school leader may read keeps other schools' rows from them (row-level
    /// security with a school leader's policy): a summary added later cannot be forgotten.
    @Test func everyTableWithASchoolIsFilteredForSchoolLeaders() throws {
        let db = try TestDatabase.create()
        let tables = try db.connect().query("""
            SELECT c.relname::text AS name, c.relrowsecurity AS secured,
                   EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                              AND 'qa_school_leader'::regrole = ANY (p.polroles)) AS policy
              FROM pg_class c
             WHERE c.relnamespace = 'qa'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
               AND has_table_privilege('qa_school_leader', c.oid, 'SELECT')
               AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'school_id'
                              AND NOT a.attisdropped)
             ORDER BY 1
            """).map { (try $0.decode("name", as: String.self), try $0.decode("secured", as: Bool.self),
                        try $0.decode("policy", as: Bool.self)) }
        #expect(tables.filter { !$0.1 || !$0.2 }.map(\.0) == [])
        #expect(tables.map(\.0).contains("triangulation_year") && tables.map(\.0).contains("support_evidence_term"))
        #expect(tables.map(\.0).contains("rating_month_summary") && tables.map(\.0).contains("triangulation_month"))
        #expect(["rating_cohort_term_summary", "rating_year_group_term_summary", "rating_cohort_subject_summary",
                 "rating_year_group_subject_summary", "rating_cohort_month_summary", "rating_year_group_month_summary"]
                    .allSatisfy(tables.map(\.0).contains))
        #expect(tables.map(\.0).contains("triangulation_cohort_summary")
                && tables.map(\.0).contains("triangulation_year_group_summary"))
        #expect(tables.map(\.0).contains("feedback_cohort_summary") && tables.map(\.0).contains("feedback_year_group_summary"))
        #expect(tables.map(\.0).contains("support_evidence_cohort_term")
                && tables.map(\.0).contains("support_evidence_year_group_term"))
        #expect(tables.map(\.0).contains("feedback_activity_summary"))
        #expect(tables.map(\.0).contains("feedback_subject_summary") && tables.map(\.0).contains("feedback_subject_overall_summary")
                && tables.map(\.0).contains("feedback_activity_overall_summary"))
        #expect(tables.count == 37)
    }

    @Test func aSchoolLeadersExportHoldsOnlyItsSchool() throws {
        let (db, _, prefix) = try prepare()
        let login = prefix + "_head3"
        #expect(try runTool(["access", "grant", "--role", "school_leader", "--login", login, "--school", "Riverside High",
                             "--database", db.conninfo]).status == 0)
        let out = try RepositoryPaths.temporaryFolder("leader-export").appendingPathComponent("export").path
        let export = try runTool(["export", "--out", out, "--suppress-below", "0", "--database", "\(db.conninfo) user=\(login)"])
        #expect(export.status == 0, "\(export.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains("distribution_by_standard_school.csv"))
        var sawRiverside = false
        for file in files {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            #expect(!text.contains("Oakfield"), "\(file) names another school")
            if text.contains("Riverside High") { sawRiverside = true }
        }
        #expect(sawRiverside)
    }

    @Test func anAnalystGetsAggregatesButNoNamesOrFreeText() throws {
        let (db, _, prefix) = try prepare()
        let login = prefix + "_analyst"
        #expect(try runTool(["access", "grant", "--role", "analyst", "--login", login, "--database", db.conninfo]).status == 0)
        let analyst = try Connection("\(db.conninfo) user=\(login)")
        #expect(try count(analyst, "SELECT count(*) AS n FROM qa.rating") == 7)
        #expect(try count(analyst, "SELECT count(DISTINCT staff_id) AS n FROM qa.evidence") == 3)
        #expect(try analyst.query("SELECT qa.staff_pseudonym(staff_id) AS key FROM qa.staff ORDER BY staff_id LIMIT 1").single()
            .decode("key", as: String.self) == "S00001")
        for forbidden: SQL in [
            "SELECT strengths FROM qa.evidence", "SELECT observer FROM qa.evidence", "SELECT name FROM qa.staff",
            "SELECT observer FROM qa.feedback_summary", "SELECT observer FROM qa.feedback_overall_summary",
            "SELECT observer FROM qa.feedback_cohort_summary", "SELECT observer FROM qa.feedback_year_group_summary",
            "SELECT observer FROM qa.feedback_activity_summary", "SELECT observer FROM qa.feedback_subject_summary",
            "SELECT observer FROM qa.feedback_subject_overall_summary", "SELECT observer FROM qa.feedback_activity_overall_summary",
            "SELECT external_id FROM qa.staff", "SELECT * FROM qa.evidence_history", "SELECT original FROM qa.load_reject",
        ] {
            let error = #expect(throws: PostgresError.self) { try analyst.query(forbidden) }
            #expect(error?.sqlState == "42501", "\(forbidden.text)")
        }
    }

    @Test func anAnalystsExportAndQueriesNeverHoldANameOrFreeText() throws {
        let (db, _, prefix) = try prepare()
        let login = prefix + "_analyst2"
        #expect(try runTool(["access", "grant", "--role", "analyst", "--login", login, "--database", db.conninfo]).status == 0)
        let as_ = "\(db.conninfo) user=\(login)"
        let out = try RepositoryPaths.temporaryFolder("analyst-export").appendingPathComponent("export").path
        let export = try runTool(["export", "--out", out, "--suppress-below", "0", "--database", as_])
        #expect(export.status == 0, "\(export.stderr)")
        var texts = try FileManager.default.contentsOfDirectory(atPath: out).map { try String(contentsOfFile: out + "/" + $0, encoding: .utf8) }
        // Feedback for a cohort, a year group and an activity too, read from SQL/026's and SQL/029's tables without
        // their observer column.
        for query in [["feedback"], ["coverage"], ["feedback", "--cohort", "unspecified"], ["feedback", "--year-group", "unspecified"],
                      ["feedback", "--activity", "lesson_visit"]] {
            let result = try runTool(["query"] + query + ["--format", "csv", "--database", as_])
            #expect(result.status == 0, "\(query): \(result.stderr)")
            texts.append(result.stdout)
        }
        #expect(texts.count > 7)
        for text in texts {
            for secret in ["Ann Smith", "Bo Lee", "Cy Jones", "Calm start", "Strong modelling", "Head"] {
                #expect(!text.contains(secret), "found \(secret)")
            }
        }
        #expect(texts.contains { $0.contains("Riverside High") })
    }

    @Test func aLoaderLoadsButCannotReadRatings() throws {
        let (db, _, prefix) = try prepare()
        let login = prefix + "_loader"
        #expect(try runTool(["access", "grant", "--role", "loader", "--login", login, "--database", db.conninfo]).status == 0)
        let loader = try Connection("\(db.conninfo) user=\(login)")
        let error = #expect(throws: PostgresError.self) { try loader.query("SELECT rating FROM qa.rating") }
        #expect(error?.sqlState == "42501")
        // A changed record, loaded as the loader: updated, with its history kept by the owner's function.
        let folder = try RepositoryPaths.temporaryFolder("loader")
        let path = folder.appendingPathComponent("change.csv").path
        try Data((Self.header + "\nE1,Oakfield Academy,T1,Ann Smith,lesson visit,Maths,2023-03-14,R,A,Calm start\n").utf8)
            .write(to: URL(fileURLWithPath: path))
        let loaded = try runTool(["load", path, "--database", "\(db.conninfo) user=\(login)"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stderr.contains("0 new, 1 updated, 0 unchanged, 0 rejected"))
        let owner = try db.connect()
        #expect(try count(owner, "SELECT count(*) AS n FROM qa.evidence_history") == 1)
        #expect(try owner.query("""
            SELECT r.rating::text AS r FROM qa.rating r JOIN qa.evidence e USING (evidence_pk) WHERE e.evidence_id = 'E1' AND r.standard = 1
            """).single().decode("r", as: String.self) == "red")
    }

    @Test func grantListAndRevokeThroughTheCommandLine() throws {
        let (db, owner, prefix) = try prepare()
        let head = prefix + "_h2", trust = prefix + "_ceo"
        #expect(try runTool(["access", "grant", "--role", "school_leader", "--login", head, "--school", "Riverside High",
                             "--school", "Oakfield Academy", "--database", db.conninfo]).status == 0)
        #expect(try runTool(["access", "grant", "--role", "trust_leader", "--login", trust, "--database", db.conninfo]).status == 0)
        let list = try runTool(["access", "list", "--database", db.conninfo])
        // Logins belong to the whole server, so other tests' logins may be listed too.
        let lines = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("\(head) school_leader Oakfield Academy; Riverside High"))
        #expect(lines.contains("\(trust) trust_leader"))
        let ceo = try Connection("\(db.conninfo) user=\(trust)")
        #expect(try count(ceo, "SELECT count(*) AS n FROM qa.evidence") == 5)
        #expect(try runTool(["access", "revoke", "--role", "school_leader", "--login", head, "--database", db.conninfo]).status == 0)
        let revoked = try Connection("\(db.conninfo) user=\(head)")
        let error = #expect(throws: PostgresError.self) { try revoked.query("SELECT count(*) AS n FROM qa.evidence") }
        #expect(error?.sqlState == "42501")
        #expect(try count(owner, "SELECT count(*) AS n FROM qa.school_access WHERE login = \(head)") == 0)
    }

    @Test func badGrantsAreRefusedClearly() throws {
        let (db, owner, prefix) = try prepare()
        let unknown = try runTool(["access", "grant", "--role", "school_leader", "--login", prefix + "_x", "--school", "Oakfeild Academy", "--database", db.conninfo])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no school named \"Oakfeild Academy\"; schools: Oakfield Academy, Riverside High"))
        let injected = try runTool(["access", "grant", "--role", "analyst", "--login", "x\"; DROP TABLE qa.evidence; --", "--database", db.conninfo])
        #expect(injected.status == 64)
        let reserved = try runTool(["access", "grant", "--role", "analyst", "--login", "qa_owner", "--database", db.conninfo])
        #expect(reserved.status == 1)
        #expect(reserved.stderr.contains("reserved"))
        #expect(try count(owner, "SELECT count(*) AS n FROM qa.evidence") == 5)
        let noSchool = try runTool(["access", "grant", "--role", "school_leader", "--login", prefix + "_y", "--database", db.conninfo])
        #expect(noSchool.status == 1)
        #expect(noSchool.stderr.contains("a school leader needs at least one --school"))
    }
}
