import Foundation
import QACore
import QAQuery

/// What an export is asked to do: the scope (the query filters), the folder, and the confidentiality settings.
public struct ExportRequest: Sendable {
    public var filter: Filter
    /// The folder the complete set is renamed into.
    public var directory: URL
    /// Groups with fewer distinct staff members or fewer ratings than this are suppressed; 0 turns it off.
    public var suppressBelow: Int
    /// CSV for Excel: a byte-order mark and CRLF line ends.
    public var excel: Bool
    /// Adds the staff-level CPD candidates (names): only for a role that may read staff names.
    public var includeStaff: Bool
    /// The day feedback and coverage are judged on.
    public var asOf: CalendarDate
    /// CPD: the Amber+Red share (percent) at which a subject or school is flagged, and the fewest ratings judged.
    public var cpdThreshold: Double
    public var cpdMinimumRatings: Int
    /// The generation time written into the manifest and the dashboard.
    public var now: Date

    public init(
        filter: Filter = Filter(), directory: URL, suppressBelow: Int = 5, excel: Bool = false, includeStaff: Bool = false,
        asOf: CalendarDate = .today(), cpdThreshold: Double = 40, cpdMinimumRatings: Int = 10, now: Date = Date()
    ) {
        self.filter = filter
        self.directory = directory
        self.suppressBelow = suppressBelow
        self.excel = excel
        self.includeStaff = includeStaff
        self.asOf = asOf
        self.cpdThreshold = cpdThreshold
        self.cpdMinimumRatings = cpdMinimumRatings
        self.now = now
    }
}

/// Why an export was refused.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// --include-staff by a role that may not read staff names.
    case staffNamesNotPermitted(role: String)
    /// The output folder exists and is not an earlier export, so it is not replaced.
    case notAnExportFolder(String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .staffNamesNotPermitted(let role):
            "--include-staff refused: the database role \"\(role)\" may not read staff names (qa.staff.name); "
                + "run the export as a trust or school leader, or leave out --include-staff"
        case .notAnExportFolder(let path):
            "\(path) exists and is not an earlier export (no manifest.json); choose an empty or new folder"
        case .invalidOption(let text): text
        }
    }
}
