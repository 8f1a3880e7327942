import Foundation
import Postgres
import QACheck
import TestSupport

/// A fresh migrated database with helpers that write load batches and evidence directly in SQL,
/// so each check can be given exactly the rows it should pass or fail on.
struct CheckFixture {
    let database: TestDatabase
    let connection: Connection

    init() throws {
        database = try TestDatabase.create()
        connection = try database.connect()
    }

    /// A load batch that finished `hoursAgo` hours ago. Successful batches account for every row read.
    @discardableResult
    func batch(
        source: String = "standards-tracker", status: String = "succeeded", rowsRead: Int = 10, hoursAgo: Double = 1,
        file: String = "export.csv"
    ) throws -> Int {
        let succeeded = status == "succeeded" || status == "succeeded_with_rejects" || status == "dry_run"
        return try connection.query("""
            INSERT INTO qa.load_batch (source, file_name, format, status, dry_run, rows_read, inserted, started_at, finished_at)
            VALUES (\(source), \(file), 'csv', \(status), \(status == "dry_run"), \(rowsRead), \(succeeded ? rowsRead : 0),
                    now() - make_interval(secs => \(hoursAgo)::float8 * 3600 + 60),
                    now() - make_interval(secs => \(hoursAgo)::float8 * 3600))
            RETURNING batch_id
            """).single().decode("batch_id")
    }

    func school(_ name: String) throws -> Int {
        try connection.query("""
            INSERT INTO qa.school (name, name_key) VALUES (\(name), lower(\(name)))
            ON CONFLICT (name_key) DO UPDATE SET name = EXCLUDED.name RETURNING school_id
            """).single().decode("school_id")
    }

    func staff(_ key: String, school: String = "Oakfield Academy") throws -> Int {
        let schoolID = try self.school(school)
        return try connection.query("""
            INSERT INTO qa.staff (staff_key, external_id, name, school_id) VALUES (lower(\(key)), \(key), \(key + " name"), \(schoolID))
            ON CONFLICT (staff_key) DO UPDATE SET name = EXCLUDED.name RETURNING staff_id
            """).single().decode("staff_id")
    }

    /// One evidence record with its ratings (standard number to `red`, `amber`, `green` or `gold`).
    @discardableResult
    func evidence(
        _ id: String, school: String = "Oakfield Academy", staff: String? = "T1", activity: String = "lesson_visit",
        date: String = "2024-03-14", verbal: String? = nil, written: String? = nil,
        ratings: [Int: String] = [1: "green", 7: "amber"], withdrawn: Bool = false
    ) throws -> Int {
        let schoolID = try self.school(school)
        let staffID = try staff.map { try self.staff($0, school: school) }
        var batchID = try connection.query("SELECT coalesce(max(batch_id), 0) AS b FROM qa.load_batch").single().decode("b", as: Int.self)
        if batchID == 0 { batchID = try self.batch() }
        let pk: Int = try connection.query("""
            INSERT INTO qa.evidence (source, evidence_id, school_id, staff_id, activity, activity_date,
                                     verbal_feedback_date, written_feedback_date, academic_year, term, content_hash,
                                     first_batch, last_batch, withdrawn_at)
            VALUES ('standards-tracker', \(id), \(schoolID), \(staffID), \(activity), \(date)::date,
                    \(verbal)::date, \(written)::date, qa.academic_year_of(\(date)::date), qa.term_of(\(date)::date), md5(\(id)),
                    \(batchID), \(batchID), CASE WHEN \(withdrawn) THEN now() END)
            RETURNING evidence_pk
            """).single().decode("evidence_pk")
        for (standard, rating) in ratings {
            try connection.execute("INSERT INTO qa.rating (evidence_pk, standard, rating) VALUES (\(pk), \(standard), \(rating)::qa.ragg)")
        }
        return pk
    }

    func run(_ check: DataCheck, _ settings: CheckSettings = CheckSettings(), examples: Int = 10) throws -> CheckResult {
        let report = try CheckRunner(connection: connection, exampleLimit: examples).run([check], settings: settings)
        guard let result = report.results.first else { throw CheckFixtureError.noResult }
        return result
    }

    /// The examples' values in one column.
    static func column(_ name: String, of result: CheckResult) -> [String?] {
        guard let index = result.columns.firstIndex(of: name) else { return [] }
        return result.examples.map { $0[index] }
    }
}

enum CheckFixtureError: Error { case noResult }
