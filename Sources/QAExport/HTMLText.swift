import QAQuery

/// Text made safe for HTML and SVG element content and attribute values.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "{": out += "&#123;"  // never a template placeholder
            default: out.append(c)
            }
        }
        return out
    }

    /// A number for SVG coordinates: at most one decimal.
    static func coordinate(_ x: Double) -> String { number(x, places: 1) }

    /// A number with `places` decimals, as the query output writes it.
    static func number(_ d: Double, places: Int) -> String { Value.decimal(d, places: places).description }
}

/// The RAGG* values as the dashboard shows them: colour, pattern and letter code, so no one has to tell
/// colours apart (Gold dotted, Green plain, Amber striped, Red cross-hatched).
enum RatingStyle: String, CaseIterable {
    case gold, green, amber, red

    var label: String {
        switch self {
        case .gold: "Gold"
        case .green: "Green"
        case .amber: "Amber"
        case .red: "Red"
        }
    }

    var code: String {
        switch self {
        case .gold: "G*"
        case .green: "G"
        case .amber: "A"
        case .red: "R"
        }
    }

    var colour: String {
        switch self {
        case .gold: "#d9a520"
        case .green: "#2e7d32"
        case .amber: "#ef8a17"
        case .red: "#b3261e"
        }
    }

    /// Text drawn on the colour.
    var ink: String { self == .gold || self == .amber ? "#1b1b1b" : "#ffffff" }

    var fill: String { "url(#p-\(rawValue))" }

    /// The SVG patterns every chart refers to, defined once per page.
    static var definitions: String {
        """
        <pattern id="p-gold" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#d9a520"/><circle cx="4" cy="4" r="1.3" fill="#6b4e00" fill-opacity="0.55"/></pattern>
        <pattern id="p-green" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#2e7d32"/></pattern>
        <pattern id="p-amber" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ef8a17"/><rect width="2.5" height="8" fill="#8a4a00" fill-opacity="0.45"/></pattern>
        <pattern id="p-red" width="7" height="7" patternUnits="userSpaceOnUse"><rect width="7" height="7" fill="#b3261e"/><path d="M0 0L7 7M7 0L0 7" stroke="#ffffff" stroke-opacity="0.45" stroke-width="1"/></pattern>
        <pattern id="p-suppressed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eceff1"/><rect width="1.5" height="6" fill="#b0bec5"/></pattern>
        """
    }
}
