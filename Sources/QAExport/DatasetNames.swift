import QAQuery

/// The datasets an export writes, each as NAME.csv and NAME.json, documented by Dashboards/schema/NAME.schema.json.
public enum DatasetName {
    /// Distributions: the trust per standard, then standard × each dimension.
    public static let distributions: [(name: String, dimensions: [Dimension])] = [
        ("distribution_by_standard", [.standard]),
        ("distribution_by_standard_school", [.standard, .school]),
        ("distribution_by_standard_subject", [.standard, .subject]),
        ("distribution_by_standard_cohort", [.standard, .cohort]),
        ("distribution_by_standard_year_group", [.standard, .yearGroup]),
        ("distribution_by_standard_activity", [.standard, .activity]),
    ]
    public static let trust = "distribution_by_standard"
    public static let trend = "trend_by_term"
    public static let cpdPriorities = "cpd_priorities"
    public static let cpdStaffCandidates = "cpd_staff_candidates"
    public static let feedback = "feedback_by_school"
    public static let coverage = "coverage_gaps"
    /// Groups counted only to decide suppression of CPD subject rows; never written.
    static let cpdSubjectCells = "cpd_subject_cells"

    /// Every aggregate dataset, in the order written to the manifest.
    public static let aggregates: [String] = distributions.map(\.name) + [trend, cpdPriorities, feedback, coverage]
}
