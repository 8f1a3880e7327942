import ArgumentParser

/// `qa-analytics query ...`: the questions leaders ask of the evidence.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask questions of the loaded evidence: distributions, CPD needs, feedback, triangulation, trends, coverage.",
        discussion: """
            Every query takes the same filters (--school, --subject, --cohort, --year-group, --standard, --activity, \
            --staff, --from, --to, --academic-year, --term), matched case-insensitively; a value that matches \
            nothing is reported with the nearest name. Withdrawn records never count.
            """,
        subcommands: [
            QueryDistribution.self, QueryCPDNeeds.self, QueryFeedback.self, QueryTriangulation.self, QueryTrend.self,
            QueryCoverage.self,
        ]
    )
}
