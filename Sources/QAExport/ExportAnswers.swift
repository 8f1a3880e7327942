import Postgres
import QACore
import QAQuery

/// Every query an export needs, run once each through the query library; the datasets and the dashboard are
/// built from these answers without asking the database again.
struct ExportAnswers: Sendable {
    var distributions: [String: (query: Distribution, rows: [DistributionRow])] = [:]
    var trend: (query: Trend, rows: [TrendRow])
    /// Distinct staff per academic year and term, for the trend's suppression.
    var termStaff: [DistributionRow]
    /// Distinct staff per school, for the feedback's suppression.
    var schoolStaff: [DistributionRow]
    var cpd: (query: CPDNeeds, result: CPDNeedsResult)
    /// Every school × subject × standard group, for the suppression of CPD subject rows.
    var subjectCells: [DistributionRow]
    /// The trust per standard in the CPD comparison window (the filter without school, subject and staff).
    var cpdTrust: [DistributionRow]
    var feedback: (query: FeedbackTimeliness, rows: [FeedbackRow])
    var coverage: (query: Coverage, gaps: [CoverageGap])
    var lastLoad: LastLoad?

    /// Every answer comes from one snapshot of the data (a read-only repeatable-read transaction), so a load
    /// committing during the export cannot make one dataset disagree with another. The distributions that
    /// must read the base tables run on a second connection sharing that snapshot (`SecondReader`).
    init(request: ExportRequest, connection: Connection) throws {
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? connection.execute("COMMIT") }
        let snapshot: String = try connection.query("SELECT pg_export_snapshot() AS id").single().decode("id")
        let filter = request.filter
        let queries = DatasetName.distributions.map { (name: $0.name, query: Distribution(by: $0.dimensions, filter: filter, staffCount: true)) }
        let readsBaseTables = { (query: Distribution) -> Bool in if case .base = query.source { true } else { false } }
        // The second connection answers the distributions over the base tables, the slowest; when every one reads a
        // summary (an export without filters) it answers the four by subject, cohort, year group and activity, about
        // half of what the export asks PostgreSQL (4.3 s of 8.8 s at 3 million records), so that both cores work.
        let overBaseTables = Set(queries.filter { readsBaseTables($0.query) }.map(\.name))
        let secondNames = overBaseTables.isEmpty ? Set(queries.dropFirst(2).map(\.name)) : overBaseTables
        let second = queries.filter { secondNames.contains($0.name) }
        @Sendable func answer(on reader: Connection) throws -> [(name: String, query: Distribution, rows: [DistributionRow])] {
            try second.map { (name: $0.name, query: $0.query, rows: try $0.query.run(on: reader)) }
        }
        let reader = try SecondReader.start(conninfo: connection.conninfo, snapshot: snapshot, answer)
        for (name, query) in queries where !secondNames.contains(name) {
            distributions[name] = (query, try query.run(on: connection))
        }
        let trendQuery = Trend(filter: filter)
        trend = (trendQuery, try trendQuery.run(on: connection))
        termStaff = try Distribution(by: [.academicYear, .term], filter: filter, staffCount: true).run(on: connection)
        schoolStaff = try Distribution(by: [.school], filter: filter, staffCount: true).run(on: connection)
        let cpdQuery = CPDNeeds(filter: filter, threshold: request.cpdThreshold, minimumRatings: request.cpdMinimumRatings)
        cpd = (cpdQuery, try cpdQuery.run(on: connection, staffLevel: request.includeStaff))
        subjectCells = try Distribution(by: [.school, .subject, .standard], filter: filter, staffCount: true).run(on: connection)
        let namesVisible = try StaffNameAccess.allowed(on: connection)
        // The export publishes schools only: without observers' names the query has no observer level to compute.
        let feedbackQuery = FeedbackTimeliness(filter: filter, today: request.asOf, namesVisible: false)
        feedback = (feedbackQuery, try feedbackQuery.run(on: connection).filter { $0.level == "school" })
        let coverageQuery = Coverage(filter: filter, today: request.asOf, namesVisible: namesVisible)
        coverage = (coverageQuery, try coverageQuery.run(on: connection))
        lastLoad = try LastLoad.latest(on: connection)
        for answered in try reader.wait(otherwise: { try answer(on: connection) }) {
            distributions[answered.name] = (answered.query, answered.rows)
        }
        // After the second reader: the trust's distribution may have been one of its answers.
        var trustFilter = filter
        trustFilter.school = nil
        trustFilter.subject = nil
        trustFilter.staff = nil
        cpdTrust = trustFilter == filter
            ? distributions[DatasetName.trust]?.rows ?? []
            : try Distribution(by: [.standard], filter: trustFilter, staffCount: true).run(on: connection)
    }
}
