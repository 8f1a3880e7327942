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

    init(request: ExportRequest, connection: Connection) throws {
        let filter = request.filter
        for (name, dimensions) in DatasetName.distributions {
            let query = Distribution(by: dimensions, filter: filter, staffCount: true)
            distributions[name] = (query, try query.run(on: connection))
        }
        let trendQuery = Trend(filter: filter)
        trend = (trendQuery, try trendQuery.run(on: connection))
        termStaff = try Distribution(by: [.academicYear, .term], filter: filter, staffCount: true).run(on: connection)
        schoolStaff = try Distribution(by: [.school], filter: filter, staffCount: true).run(on: connection)
        let cpdQuery = CPDNeeds(filter: filter, threshold: request.cpdThreshold, minimumRatings: request.cpdMinimumRatings)
        cpd = (cpdQuery, try cpdQuery.run(on: connection, staffLevel: request.includeStaff))
        subjectCells = try Distribution(by: [.school, .subject, .standard], filter: filter, staffCount: true).run(on: connection)
        var trustFilter = filter
        trustFilter.school = nil
        trustFilter.subject = nil
        trustFilter.staff = nil
        cpdTrust = trustFilter == filter
            ? distributions[DatasetName.trust]?.rows ?? []
            : try Distribution(by: [.standard], filter: trustFilter, staffCount: true).run(on: connection)
        let namesVisible = try StaffNameAccess.allowed(on: connection)
        let feedbackQuery = FeedbackTimeliness(filter: filter, today: request.asOf, namesVisible: namesVisible)
        feedback = (feedbackQuery, try feedbackQuery.run(on: connection).filter { $0.level == "school" })
        let coverageQuery = Coverage(filter: filter, today: request.asOf, namesVisible: namesVisible)
        coverage = (coverageQuery, try coverageQuery.run(on: connection))
        lastLoad = try LastLoad.latest(on: connection)
    }
}
