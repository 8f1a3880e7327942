import QACore
import QAQuery

/// 100% stacked RAGG* bars, one per standard: Gold, Green, Amber, Red from left to right, each segment in its
/// colour and pattern with its code and share written in it where there is room.
struct StackedBarChart {
    let table: ExportTable
    /// The rows to draw (one per standard), e.g. the trust's or one school's.
    let rows: [Int]
    /// What the bars are of, for data attributes and the accessible label.
    let group: String

    static let labelWidth = 200.0, barWidth = 640.0, barHeight = 24.0, gap = 8.0

    var svg: String {
        let height = Double(Standard.allCases.count) * (Self.barHeight + Self.gap) + 8
        let width = Self.labelWidth + Self.barWidth + 90
        var out = "<svg class=\"bars\" role=\"img\" viewBox=\"0 0 \(HTMLText.coordinate(width)) \(HTMLText.coordinate(height))\" width=\"\(HTMLText.coordinate(width))\" height=\"\(HTMLText.coordinate(height))\" aria-label=\"RAGG* ratings by standard: \(HTMLText.escape(group))\">"
        for (r, standard) in Standard.allCases.enumerated() {
            let y = 4 + Double(r) * (Self.barHeight + Self.gap)
            out += "<text class=\"row-label\" x=\"\(HTMLText.coordinate(Self.labelWidth - 10))\" y=\"\(HTMLText.coordinate(y + 16))\">\(standard.number) \(HTMLText.escape(standard.shortName))</text>"
            let row = rows.first { table.value($0, "standard") == .integer(standard.number) }
            out += bar(row: row, standard: standard.number, y: y)
        }
        return out + "</svg>"
    }

    func bar(row: Int?, standard: Int, y: Double) -> String {
        let attributes = "data-dataset=\"\(table.name)\" data-group=\"\(HTMLText.escape(group))\" data-standard=\"\(standard)\""
        let x0 = Self.labelWidth
        guard let row else {
            return "<g class=\"bar empty\" \(attributes)><text class=\"bar-note\" x=\"\(HTMLText.coordinate(x0 + 4))\" y=\"\(HTMLText.coordinate(y + 16))\">no ratings</text></g>"
        }
        guard let n = table.shown(row, "n")?.integerValue, n > 0 else {
            return "<g class=\"bar suppressed\" \(attributes) data-suppressed=\"true\"><rect x=\"\(HTMLText.coordinate(x0))\" y=\"\(HTMLText.coordinate(y))\" width=\"\(HTMLText.coordinate(Self.barWidth))\" height=\"\(HTMLText.coordinate(Self.barHeight))\" fill=\"url(#p-suppressed)\"/><text class=\"bar-note\" x=\"\(HTMLText.coordinate(x0 + 8))\" y=\"\(HTMLText.coordinate(y + 16))\">c: suppressed, small group</text></g>"
        }
        var counts: [String] = []
        var segments = ""
        var x = x0
        for style in RatingStyle.allCases {
            let count = table.shown(row, style.rawValue)?.integerValue ?? 0
            let pct = table.shown(row, "\(style.rawValue)_pct")?.doubleValue ?? 0
            counts.append("data-\(style.rawValue)=\"\(count)\"")
            let w = Self.barWidth * Double(count) / Double(n)
            guard w > 0 else { continue }
            segments += "<rect x=\"\(HTMLText.coordinate(x))\" y=\"\(HTMLText.coordinate(y))\" width=\"\(HTMLText.coordinate(w))\" height=\"\(HTMLText.coordinate(Self.barHeight))\" fill=\"\(style.fill)\"><title>\(style.label): \(count) of \(n) (\(HTMLText.number(pct, places: 1))%)</title></rect>"
            if w >= 58 {
                segments += "<text class=\"seg-label\" x=\"\(HTMLText.coordinate(x + w / 2))\" y=\"\(HTMLText.coordinate(y + 16))\" fill=\"\(style.ink)\">\(style.code) \(HTMLText.number(pct, places: 0))%</text>"
            } else if w >= 22 {
                segments += "<text class=\"seg-label\" x=\"\(HTMLText.coordinate(x + w / 2))\" y=\"\(HTMLText.coordinate(y + 16))\" fill=\"\(style.ink)\">\(style.code)</text>"
            }
            x += w
        }
        return "<g class=\"bar\" \(attributes) data-n=\"\(n)\" \(counts.joined(separator: " "))>" + segments
            + "<text class=\"bar-n\" x=\"\(HTMLText.coordinate(x0 + Self.barWidth + 8))\" y=\"\(HTMLText.coordinate(y + 16))\">n \(n)</text></g>"
    }

    /// The key: each value's swatch (colour and pattern), code and name.
    static var legend: String {
        var out = "<div class=\"legend\" aria-label=\"Key\">"
        for style in RatingStyle.allCases {
            out += "<span class=\"key\"><svg width=\"26\" height=\"16\" aria-hidden=\"true\"><rect width=\"26\" height=\"16\" rx=\"2\" fill=\"\(style.fill)\" stroke=\"#555\" stroke-width=\"0.5\"/></svg>\(style.code) \(style.label)</span>"
        }
        out += "<span class=\"key\"><svg width=\"26\" height=\"16\" aria-hidden=\"true\"><rect width=\"26\" height=\"16\" rx=\"2\" fill=\"url(#p-suppressed)\" stroke=\"#555\" stroke-width=\"0.5\"/></svg>c suppressed (small group)</span>"
        return out + "</div>"
    }
}
