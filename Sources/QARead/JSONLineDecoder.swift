import Foundation
import QACore

/// Turns one JSON Lines line into raw evidence values, using Foundation's `JSONSerialization`.
/// Keys are matched like CSV headers (`evidence_id`, `Evidence ID`, `S5`); `ratings` is an object keyed
/// by standard (`"5"`, `"S5"`); `year_groups` and `cohorts` may be arrays or text.
final class JSONLineDecoder {
    /// Key spellings seen so far and the column each means; the same few keys recur on every line.
    private var columns = BoundedCache<EvidenceColumn?>()
    private var isRatingsKey = BoundedCache<Bool>()

    enum Outcome {
        case raw(RawEvidence, unknownKeys: [String])
        case invalid(column: String?, reason: String)
    }

    func decode(_ bytes: [UInt8]) -> Outcome {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return .invalid(column: nil, reason: "the line is not valid JSON" + (detail.map { ": \($0)" } ?? ""))
        }
        guard let dictionary = object as? [String: Any] else {
            return .invalid(column: nil, reason: "the line is \(JSONLineDecoder.shape(of: object)), not a JSON object")
        }
        var raw = RawEvidence()
        var unknown: [String] = []
        // Sorted so that the outcome does not depend on dictionary order.
        for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
            if isRatingsKey.value(for: key, compute: { EvidenceColumn.key($0) == "ratings" }) {
                if case .invalid(let column, let reason) = addRatings(value, to: &raw) {
                    return .invalid(column: column, reason: reason)
                }
                continue
            }
            guard let column = columns.value(for: key, compute: { EvidenceColumn(header: $0) }) else {
                unknown.append(key)
                continue
            }
            if let standard = column.standard, raw[column] != nil {
                return .invalid(column: "ratings", reason: "standard \(standard.number) is rated twice")
            }
            raw[column] = JSONLineDecoder.value(value)
        }
        return .raw(raw, unknownKeys: unknown)
    }

    private func addRatings(_ value: Any, to raw: inout RawEvidence) -> Outcome? {
        if value is NSNull { return nil }
        guard let ratings = value as? [String: Any] else {
            return .invalid(
                column: "ratings",
                reason: "ratings should be an object such as {\"1\": \"G\", \"5\": \"Amber\"}, not \(JSONLineDecoder.shape(of: value))"
            )
        }
        for (key, rating) in ratings.sorted(by: { $0.key < $1.key }) {
            var digits = Substring(EvidenceColumn.key(key))
            for prefix in ["standard", "s"] where digits.hasPrefix(prefix) {
                digits = digits.dropFirst(prefix.count)
                break
            }
            guard let number = Int(digits), let standard = Standard(number: number) else {
                return .invalid(column: "ratings", reason: "ratings: \"\(key)\" is not a standard; expected 1 to 12")
            }
            let column = EvidenceColumn.rating(standard)
            if raw[column] != nil {
                return .invalid(column: "ratings", reason: "standard \(number) is rated twice")
            }
            raw[column] = JSONLineDecoder.value(rating)
        }
        return nil
    }

    private static func value(_ value: Any) -> RawEvidence.Value? {
        switch value {
        case let text as String: return .text(text)
        case is NSNull: return nil
        case let number as NSNumber:
            return isBoolean(number) ? .misshapen("true or false") : .text(number.stringValue)
        case let array as [Any]:
            var entries: [String] = []
            for element in array {
                switch JSONLineDecoder.value(element) {
                case .text(let text)?: entries.append(text)
                case nil: continue
                default: return .misshapen("a list of lists or objects")
                }
            }
            return .list(entries)
        default: return .misshapen(shape(of: value))
        }
    }

    private static let booleanType: ObjectIdentifier = ObjectIdentifier(type(of: NSNumber(value: true)))

    private static func isBoolean(_ number: NSNumber) -> Bool {
        ObjectIdentifier(type(of: number)) == booleanType && booleanType != ObjectIdentifier(NSNumber.self)
    }

    static func shape(of value: Any) -> String {
        switch value {
        case is [Any]: "a list"
        case is [String: Any]: "an object"
        case is String: "a string"
        case is NSNull: "null"
        case let number as NSNumber: isBoolean(number) ? "true or false" : "a number"
        default: "an unexpected value"
        }
    }
}
