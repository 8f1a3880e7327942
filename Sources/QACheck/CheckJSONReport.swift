import Foundation

/// A check report for programs: one JSON object, keys sorted.
///
/// `{"checks": [{"name", "level", "passed", "failing_rows", "explanation", "examples": [{column: text or null}]}],
///   "errors_failed", "warnings_failed", "exit_code"}`
public enum CheckJSONReport {
    public static func render(_ report: CheckReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(report))
        return String(decoding: data, as: UTF8.self)
    }

    struct Document: Encodable {
        var checks: [Check]
        var errorsFailed: Int
        var warningsFailed: Int
        var exitCode: Int32

        init(_ report: CheckReport) {
            checks = report.results.map(Check.init)
            errorsFailed = report.errorsFailed
            warningsFailed = report.warningsFailed
            exitCode = report.exitCode
        }

        enum CodingKeys: String, CodingKey {
            case checks, errorsFailed = "errors_failed", warningsFailed = "warnings_failed", exitCode = "exit_code"
        }
    }

    struct Check: Encodable {
        var name: String
        var level: String
        var passed: Bool
        var failingRows: Int
        var explanation: String
        var examples: [Example]

        init(_ result: CheckResult) {
            name = result.name
            level = result.level.rawValue
            passed = result.passed
            failingRows = result.failingRows
            explanation = result.explanation
            examples = result.examples.map { Example(columns: result.columns, values: $0) }
        }

        enum CodingKeys: String, CodingKey {
            case name, level, passed, failingRows = "failing_rows", explanation, examples
        }
    }

    /// One failing row: an object of column to text, NULL as null.
    struct Example: Encodable {
        var columns: [String]
        var values: [String?]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (column, value) in zip(columns, values) {
                if let value {
                    try container.encode(value, forKey: Key(stringValue: column))
                } else {
                    try container.encodeNil(forKey: Key(stringValue: column))
                }
            }
        }
    }
}
