import Foundation
import QARead

/// How a rejected row is kept: its text as written, and its evidence_id when one can be read.
enum RejectedRow {
    /// CSV: the fields as one RFC 4180 line; JSON Lines: the raw line.
    static func text(of reject: Reject, format: InputFormat) -> String {
        switch format {
        case .jsonLines: return reject.original.first ?? ""
        case .csv: return reject.original.map(csvField).joined(separator: ",")
        }
    }

    static func evidenceID(of reject: Reject, format: InputFormat, column: Int?) -> String? {
        let raw: String?
        switch format {
        case .csv:
            raw = column.flatMap { $0 < reject.original.count ? reject.original[$0] : nil }
        case .jsonLines:
            let data = Data((reject.original.first ?? "").utf8)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            raw = (object?["evidence_id"]).map { "\($0)" }
        }
        let trimmed = raw.map { String($0.trimmingSpaces()) }
        return trimmed?.isEmpty == false ? trimmed : nil
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The rejects file, created only when the first row is rejected.
struct RejectsFile {
    let path: String
    let header: [String]
    var writer: RejectsFileWriter?

    init(path: String, header: [String]) {
        self.path = path
        self.header = header
    }

    mutating func write(_ reject: Reject) throws {
        if writer == nil { writer = try RejectsFileWriter(path: path, originalHeader: header) }
        try writer?.write(reject)
    }

    func path(ifWritten: Bool) -> String? { ifWritten && writer != nil ? path : nil }

    mutating func close() throws {
        try writer?.close()
        writer = nil
    }
}
