/// One cell of a query's answer, typed so that JSON gets numbers and CSV gets plain text.
public enum Value: Sendable, Equatable, Hashable, CustomStringConvertible {
    case text(String)
    case integer(Int)
    /// A number shown with `places` decimals (percentages 1, mean scores 2).
    case decimal(Double, places: Int)
    case list(TextList)
    case null

    /// The plain-text form used in tables and CSV.
    public var description: String {
        switch self {
        case .text(let t): t
        case .integer(let i): String(i)
        case .decimal(let d, let places): Value.format(d, places: places)
        case .list(let items): items.joined
        case .null: ""
        }
    }

    static func format(_ d: Double, places: Int) -> String {
        guard d.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (d * scale).rounded() / scale
        var text = String(rounded)
        if text.hasSuffix(".0") && places == 0 { text.removeLast(2) }
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < places { text += String(repeating: "0", count: places - decimals) }
        } else if places > 0 {
            text += "." + String(repeating: "0", count: places)
        }
        return text
    }
}
