import Foundation

/// A JSON Schema validator for the subset the export's schemas use: type (one or a list), required,
/// properties, additionalProperties (false or a schema), items, enum, minimum and maximum.
struct JSONSchemaValidator {
    let schema: [String: Any]

    /// The keys an array's row objects must have, in the order the schema lists them.
    var required: [String] { ((schema["items"] as? [String: Any])?["required"] as? [String]) ?? [] }

    /// Every violation as "path: why"; empty when the value is valid.
    func errors(_ value: Any) -> [String] { check(value, schema, "$") }

    func check(_ value: Any, _ schema: [String: Any], _ path: String) -> [String] {
        var out: [String] = []
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
            guard allowed.contains(where: { Self.matches(value, $0) }) else {
                return ["\(path): \(Self.describe(value)) is not \(allowed.joined(separator: " or "))"]
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            out.append("\(path): \(value) is not one of \(options)")
        }
        if let number = Self.number(value) {
            if let minimum = schema["minimum"].flatMap(Self.number), number < minimum { out.append("\(path): \(number) < \(minimum)") }
            if let maximum = schema["maximum"].flatMap(Self.number), number > maximum { out.append("\(path): \(number) > \(maximum)") }
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                out.append("\(path): missing \(key)")
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for (key, member) in object {
                if let sub = properties[key] as? [String: Any] {
                    out += check(member, sub, "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] {
                    if let allowed = extra as? Bool, !allowed { out.append("\(path): unexpected key \(key)") }
                    if let sub = extra as? [String: Any] { out += check(member, sub, "\(path).\(key)") }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, element) in array.enumerated() { out += check(element, items, "\(path)[\(i)]") }
        }
        return out
    }

    static func isBool(_ value: Any) -> Bool {
        guard let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }

    static func number(_ value: Any) -> Double? {
        guard !isBool(value), let n = value as? NSNumber else { return nil }
        return n.doubleValue
    }

    static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "boolean": return isBool(value)
        case "integer": return number(value).map { $0 == $0.rounded() } ?? false
        case "number": return number(value) != nil
        case "string": return value is String
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = number(a), let y = number(b) { return x == y }
        return false
    }

    static func describe(_ value: Any) -> String { value is NSNull ? "null" : "\(value)" }
}
