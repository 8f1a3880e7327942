import Foundation
import Postgres
import QALoad
import QARead
import Testing
import TestSupport

/// A large first load rebuilds the evidence and rating indexes after inserting; afterwards the tables
/// must have exactly the indexes and constraints they had, still enforcing uniqueness.
@Suite struct BulkIndexTests {
    func indexes(_ connection: Connection) throws -> [String] {
        try connection.query("""
            SELECT indexname || ': ' || indexdef AS d FROM pg_indexes
             WHERE schemaname = 'qa' ORDER BY indexname
            """).map { try $0.decode("d", as: String.self) }
    }

    @Test func aBulkLoadRebuildsEveryIndexAndConstraint() throws {
        let connection = try TestDatabase.create().connect()
        let before = try indexes(connection)
        // Twelve on the records (by day since migration 015; by term, and by day for missing feedback, since 018;
        // by cohort since 020; a subject's feedback since 028) and two on the ratings.
        #expect(before.filter { $0.contains("ON qa.evidence ") || $0.contains("ON qa.rating ") }.count == 14)
        for index in ["evidence_date", "evidence_term", "evidence_feedback_missing", "evidence_cohort_keys",
                      "evidence_feedback_subject"] {
            #expect(before.contains { $0.hasPrefix("\(index): ") }, "\(index)")
        }
        // The ratings' key carries the rating (migration 023), and is rebuilt so (compared below).
        #expect(before.contains { $0.hasPrefix("rating_pkey: ") && $0.hasSuffix("(evidence_pk, standard) INCLUDE (rating)") })
        // Twenty-five summaries with a unique key (the cohort and year-group summaries by month of 035 the latest).
        #expect(before.filter { $0.contains("_summary_key") }.count == 25)
        var options = loadOptions()
        options.bulkIndexThreshold = 1
        let report = try load(try csvFile((1...30).map { evidenceRow("EV\($0)") }), into: connection, options)
        #expect(report.inserted == 30)
        #expect(try indexes(connection) == before)
        #expect(try connection.count("SELECT count(*) AS n FROM qa.rating") == 60)
        let duplicate = #expect(throws: PostgresError.self) {
            try connection.execute("""
                INSERT INTO qa.evidence (source, evidence_id, school_id, activity, activity_date, academic_year, term, content_hash, first_batch, last_batch)
                SELECT source, evidence_id, school_id, activity, activity_date, academic_year, term, content_hash, first_batch, last_batch
                  FROM qa.evidence LIMIT 1
                """)
        }
        #expect(duplicate?.isUniqueViolation == true)
        // A second, smaller load maintains the indexes as usual and finds everything unchanged.
        let again = try load(try csvFile((1...30).map { evidenceRow("EV\($0)") }), into: connection, options)
        #expect(again.unchanged == 30)
    }

    @Test func aFailedBulkLoadLeavesTheIndexesAsTheyWere() throws {
        let connection = try TestDatabase.create().connect()
        let before = try indexes(connection)
        var options = loadOptions(maxRejects: .count(0))
        options.bulkIndexThreshold = 1
        // The repeated id is found in SQL after streaming, so the load reaches the merge and then aborts.
        #expect(throws: LoadError.self) {
            try load(try csvFile([evidenceRow("EV1"), evidenceRow("EV2"), evidenceRow("EV1")]), into: connection, options)
        }
        #expect(try indexes(connection) == before)
    }
}
