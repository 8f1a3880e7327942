import Foundation
import QAQuery

/// Good-or-better share per term as a line with its points labelled; a suppressed term is a gap marked `c`.
struct TrendChart {
    let table: ExportTable

    static let width = 900.0, height = 300.0, left = 56.0, right = 50.0, top = 24.0, bottom = 64.0

    var svg: String {
        let count = table.table.rows.count
        guard count > 0 else { return "<p class=\"note\">No ratings in scope.</p>" }
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let step = count > 1 ? plotWidth / Double(count - 1) : 0
        func x(_ i: Int) -> Double { Self.left + (count > 1 ? Double(i) * step : plotWidth / 2) }
        func y(_ pct: Double) -> Double { Self.top + plotHeight * (1 - pct / 100) }
        var out = "<svg class=\"trend\" role=\"img\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" aria-label=\"Good-or-better share per term\">"
        for tick in stride(from: 0, through: 100, by: 20) {
            let ty = HTMLText.coordinate(y(Double(tick)))
            out += "<line class=\"grid\" x1=\"\(Int(Self.left))\" x2=\"\(Int(Self.width - Self.right))\" y1=\"\(ty)\" y2=\"\(ty)\"/>"
            out += "<text class=\"axis\" x=\"\(Int(Self.left - 8))\" y=\"\(HTMLText.coordinate(y(Double(tick)) + 4))\" text-anchor=\"end\">\(tick)%</text>"
        }
        var path = ""
        var points = ""
        for i in 0..<count {
            let year = table.value(i, "academic_year")?.description ?? ""
            let term = table.value(i, "term")?.description ?? ""
            let label = "\(year) \(term.prefix(3).capitalized)"
            out += "<text class=\"axis\" x=\"\(HTMLText.coordinate(x(i)))\" y=\"\(Int(Self.height - Self.bottom + 18))\" text-anchor=\"middle\">\(HTMLText.escape(label))</text>"
            let attributes = "data-dataset=\"\(table.name)\" data-academic-year=\"\(HTMLText.escape(year))\" data-term=\"\(HTMLText.escape(term))\""
            guard let pct = table.shown(i, "good_or_better_pct")?.doubleValue, let n = table.shown(i, "n")?.integerValue else {
                out += "<g class=\"point suppressed\" \(attributes) data-suppressed=\"true\"><text class=\"cell-c\" x=\"\(HTMLText.coordinate(x(i)))\" y=\"\(HTMLText.coordinate(y(50)))\" text-anchor=\"middle\">c</text></g>"
                path += " "
                continue
            }
            let px = HTMLText.coordinate(x(i)), py = HTMLText.coordinate(y(pct))
            path += (path.isEmpty || path.hasSuffix(" ") ? "M" : "L") + "\(px) \(py)"
            let shown = HTMLText.number(pct, places: 1)
            points += "<g class=\"point\" \(attributes) data-n=\"\(n)\" data-gob=\"\(shown)\"><circle cx=\"\(px)\" cy=\"\(py)\" r=\"4.5\"/>"
                + "<text class=\"point-label\" x=\"\(px)\" y=\"\(HTMLText.coordinate(y(pct) - 10))\" text-anchor=\"middle\">\(shown)%</text>"
                + "<text class=\"axis\" x=\"\(px)\" y=\"\(Int(Self.height - Self.bottom + 34))\" text-anchor=\"middle\">n \(n)</text></g>"
        }
        out += "<path class=\"line\" d=\"\(path.trimmingCharacters(in: .whitespaces))\"/>" + points
        return out + "</svg>"
    }
}
