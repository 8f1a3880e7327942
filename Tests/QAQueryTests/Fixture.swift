import Postgres
import QAQuery
import QACore
import TestSupport

/// Known evidence written straight into a fresh migrated database, for exact expectations.
final class Fixture {
    let connection: Connection
    let conninfo: String
    let batch: Int

    init() throws {
        let database = try TestDatabase.create()
        conninfo = database.conninfo
        connection = try database.connect()
        batch = try connection.query(
            "INSERT INTO qa.load_batch (source, file_name, format) VALUES ('test', 'fixture.csv', 'csv') RETURNING batch_id"
        ).single().decode("batch_id")
    }

    @discardableResult
    func school(_ name: String, phase: String? = nil) throws -> Int {
        try connection.query(
            "INSERT INTO qa.school (name, name_key, phase) VALUES (\(name), lower(\(name)), \(phase)) RETURNING school_id"
        ).single().decode("school_id")
    }

    @discardableResult
    func subject(_ name: String, department: String? = nil) throws -> Int {
        try connection.query(
            "INSERT INTO qa.subject (name, name_key, department) VALUES (\(name), lower(\(name)), \(department)) RETURNING subject_id"
        ).single().decode("subject_id")
    }

    @discardableResult
    func staff(_ name: String, school: Int, externalID: String? = nil) throws -> Int {
        try connection.query(
            """
            INSERT INTO qa.staff (staff_key, external_id, name, school_id)
            VALUES (coalesce(\(externalID), 'name:' || lower(\(name))), \(externalID), \(name), \(school)) RETURNING staff_id
            """
        ).single().decode("staff_id")
    }

    /// One evidence record and its ratings (standard number → rating).
    func record(
        _ id: String, school: Int, subject: Int?, staff: Int?, activity: Activity = .lessonVisit, date: String,
        observer: String? = nil, verbal: String? = nil, written: String? = nil, yearGroups: [Int] = [],
        cohorts: [String] = [], deepDive: String? = nil, withdrawn: Bool = false, ratings: [Int: Rating]
    ) throws {
        let pk: Int = try connection.query(
            """
            INSERT INTO qa.evidence (source, evidence_id, school_id, subject_id, staff_id, observer, activity,
                activity_date, verbal_feedback_date, written_feedback_date, academic_year, term, year_groups, cohorts,
                deep_dive_id, content_hash, first_batch, last_batch, withdrawn_at)
            VALUES ('test', \(id), \(school), \(subject), \(staff), \(observer), \(activity.code), \(date)::date,
                \(verbal)::date, \(written)::date, qa.academic_year_of(\(date)::date), qa.term_of(\(date)::date), \(yearGroups)::smallint[],
                \(cohorts)::text[], \(deepDive), md5(\(id)), \(batch), \(batch),
                CASE WHEN \(withdrawn) THEN now() END)
            RETURNING evidence_pk
            """
        ).single().decode("evidence_pk")
        for (standard, rating) in ratings {
            try connection.execute(
                "INSERT INTO qa.rating (evidence_pk, standard, rating) VALUES (\(pk), \(standard), \(rating.databaseLabel)::qa.ragg)")
        }
    }

    func refresh() throws { _ = try connection.query("SELECT qa.refresh_summaries()") }

    func count(_ table: String) throws -> Int {
        try connection.query(SQL(verbatim: "SELECT count(*) AS n FROM \(table)")).single().decode("n")
    }
}

/// The standard fixture most tests share: two schools, two subjects, three staff, five records
/// and one withdrawn record, chosen to cross term boundaries and to name several cohorts.
///
/// | id | school    | subject | staff | activity      | date       | year/term       | year groups | cohorts    | ratings |
/// | E1 | Oakfield  | Maths   | Ann   | lesson visit  | 2022-10-03 | 2022/23 autumn  | 7           | SEND, Boys | 1 G*, 2 G, 5 A |
/// | E2 | Oakfield  | Maths   | Ann   | work scrutiny | 2023-01-03 | 2022/23 spring  | 7, 8        | -          | 5 R, 6 A |
/// | E3 | Oakfield  | History | Ben   | lesson visit  | 2023-03-31 | 2022/23 spring  | -           | Girls      | 1 G, 5 G |
/// | E4 | Riverside | Maths   | Cara  | lesson visit  | 2023-04-01 | 2022/23 summer  | 9           | SEND       | 1 R, 5 A, 7 G* |
/// | E5 | Riverside | Maths   | Cara  | deep dive     | 2023-09-01 | 2023/24 autumn  | -           | -          | 5 G |
/// | E6 | Oakfield  | Maths   | Ann   | lesson visit  | 2022-10-04 | withdrawn       | 7           | SEND       | 1 R, 5 R |
func standardFixture() throws -> Fixture {
    let f = try Fixture()
    let oak = try f.school("Oakfield Academy", phase: "primary")
    let river = try f.school("Riverside School", phase: "secondary")
    let maths = try f.subject("Maths", department: "Mathematics")
    let history = try f.subject("History", department: "Humanities")
    let ann = try f.staff("Ann Archer", school: oak, externalID: "T001")
    let ben = try f.staff("Ben Brook", school: oak)
    let cara = try f.staff("Cara Cole", school: river)
    try f.record("E1", school: oak, subject: maths, staff: ann, date: "2022-10-03", yearGroups: [7],
                 cohorts: ["SEND", "Boys"], ratings: [1: .gold, 2: .green, 5: .amber])
    try f.record("E2", school: oak, subject: maths, staff: ann, activity: .workScrutiny, date: "2023-01-03",
                 yearGroups: [7, 8], ratings: [5: .red, 6: .amber])
    try f.record("E3", school: oak, subject: history, staff: ben, date: "2023-03-31", cohorts: ["Girls"],
                 ratings: [1: .green, 5: .green])
    try f.record("E4", school: river, subject: maths, staff: cara, date: "2023-04-01", yearGroups: [9],
                 cohorts: ["SEND"], ratings: [1: .red, 5: .amber, 7: .gold])
    try f.record("E5", school: river, subject: maths, staff: cara, activity: .deepDive, date: "2023-09-01",
                 ratings: [5: .green])
    try f.record("E6", school: oak, subject: maths, staff: ann, date: "2022-10-04", yearGroups: [7],
                 cohorts: ["SEND"], withdrawn: true, ratings: [1: .red, 5: .red])
    try f.refresh()
    return f
}

extension Array where Element == DistributionRow {
    /// Rows as "group/group: n gold green amber red" for compact exact comparisons.
    var summary: [String] {
        map { r in
            r.groups.map(\.description).joined(separator: "/") + ": \(r.n) \(r.gold) \(r.green) \(r.amber) \(r.red)"
        }
    }
}
