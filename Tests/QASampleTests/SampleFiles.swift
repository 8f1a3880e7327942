import Foundation
import QACore
@testable import QASample

/// Writes samples to temporary files for the tests and reads them back.
enum SampleFiles {
    static func temporaryPath(_ ext: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("qasample-\(UUID().uuidString).\(ext)").path
    }

    /// Writes the sample, returns its bytes and summary, and removes the file.
    static func write(_ parameters: SampleParameters, ext: String) throws -> (data: Data, summary: SampleSummary) {
        let path = temporaryPath(ext)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let summary = try SampleWriter.write(parameters, to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return (data, summary)
    }

    static func records(_ parameters: SampleParameters) -> [EvidenceRecord] {
        Array(SampleGenerator(parameters).records())
    }
}
