import QACore
import QAQuery

/// A heatmap of standards (rows) × groups (columns), each cell coloured by its good-or-better share on one
/// blue scale (readable by people with colour-blindness), with the share and n written in it; the trust is the
/// first column. Suppressed cells are hatched and read `c`.
struct HeatmapChart {
    let trust: ExportTable
    let breakdown: ExportTable
    /// The breakdown's dimension column (`school`, `subject`).
    let dimension: String

    static let cellWidth = 74.0, cellHeight = 38.0, labelWidth = 200.0, headerHeight = 130.0

    var svg: String {
        let groups = orderedGroups
        let standards = Standard.allCases
        let width = Self.labelWidth + Double(groups.count + 1) * Self.cellWidth + 130
        let height = Self.headerHeight + Double(standards.count) * Self.cellHeight + 4
        var out = "<svg class=\"heatmap\" role=\"img\" viewBox=\"0 0 \(HTMLText.coordinate(width)) \(HTMLText.coordinate(height))\" width=\"\(HTMLText.coordinate(width))\" height=\"\(HTMLText.coordinate(height))\" aria-label=\"Good-or-better share by standard and \(dimension)\">"
        // Each breakdown row found by its standard and group once, not by a search per cell (12 × 300 schools
        // searching 3,600 rows was a third of an export's own work at 3 million records).
        var breakdownRow: [String: Int] = [:]
        for i in breakdown.table.rows.indices {
            guard case .integer(let number) = breakdown.value(i, "standard"), case .text(let group) = breakdown.value(i, dimension) else { continue }
            let key = "\(number)|\(group)"
            if breakdownRow[key] == nil { breakdownRow[key] = i }
        }
        let columns = ["Trust"] + groups
        for (c, name) in columns.enumerated() {
            let x = Self.labelWidth + Double(c) * Self.cellWidth + Self.cellWidth / 2
            out += "<text class=\"col-label\(c == 0 ? " trust" : "")\" transform=\"translate(\(HTMLText.coordinate(x)),\(HTMLText.coordinate(Self.headerHeight - 8))) rotate(-40)\">\(HTMLText.escape(Self.shorten(name)))<title>\(HTMLText.escape(name))</title></text>"
        }
        for (r, standard) in standards.enumerated() {
            let y = Self.headerHeight + Double(r) * Self.cellHeight
            out += "<text class=\"row-label\" x=\"\(HTMLText.coordinate(Self.labelWidth - 10))\" y=\"\(HTMLText.coordinate(y + Self.cellHeight / 2 + 4))\">\(standard.number) \(HTMLText.escape(standard.shortName))</text>"
            let trustRow = trust.table.rows.indices.first { trust.value($0, "standard") == .integer(standard.number) }
            out += cell(table: trust, row: trustRow, standard: standard.number, group: "Trust", x: Self.labelWidth, y: y)
            for (c, group) in groups.enumerated() {
                let row = breakdownRow["\(standard.number)|\(group)"]
                out += cell(table: breakdown, row: row, standard: standard.number, group: group,
                            x: Self.labelWidth + Double(c + 1) * Self.cellWidth, y: y)
            }
        }
        return out + "</svg>"
    }

    var orderedGroups: [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for i in breakdown.table.rows.indices {
            if let name = breakdown.value(i, dimension)?.description, seen.insert(name).inserted { out.append(name) }
        }
        return out.sorted { a, b in (a == "unspecified" ? 1 : 0, a) < (b == "unspecified" ? 1 : 0, b) }
    }

    static func shorten(_ name: String) -> String { name.count > 24 ? String(name.prefix(23)) + "…" : name }

    func cell(table: ExportTable, row: Int?, standard: Int, group: String, x: Double, y: Double) -> String {
        let w = Self.cellWidth - 3, h = Self.cellHeight - 3
        let rect = "x=\"\(HTMLText.coordinate(x))\" y=\"\(HTMLText.coordinate(y))\" width=\"\(HTMLText.coordinate(w))\" height=\"\(HTMLText.coordinate(h))\" rx=\"3\""
        let cx = HTMLText.coordinate(x + w / 2)
        let attributes = "data-dataset=\"\(table.name)\" data-standard=\"\(standard)\" data-group=\"\(HTMLText.escape(group))\""
        guard let row else {
            return "<g class=\"cell empty\" \(attributes)><rect \(rect) fill=\"#f5f5f5\"/><text class=\"cell-n\" x=\"\(cx)\" y=\"\(HTMLText.coordinate(y + h / 2 + 4))\">–</text><title>no ratings</title></g>"
        }
        guard let share = table.shown(row, "good_or_better_pct")?.doubleValue, let n = table.shown(row, "n")?.integerValue else {
            return "<g class=\"cell suppressed\" \(attributes) data-suppressed=\"true\"><rect \(rect) fill=\"url(#p-suppressed)\"/><text class=\"cell-c\" x=\"\(cx)\" y=\"\(HTMLText.coordinate(y + h / 2 + 5))\">c</text><title>\(HTMLText.escape(group)), standard \(standard): suppressed (small group)</title></g>"
        }
        let t = max(0, min(1, (share - 40) / 60))
        let fill = Self.blue(t)
        let ink = t > 0.5 ? "#ffffff" : "#102a43"
        let shareText = HTMLText.number(share, places: 1)
        return "<g class=\"cell\" \(attributes) data-n=\"\(n)\" data-gob=\"\(shareText)\"><rect \(rect) fill=\"\(fill)\"/>"
            + "<text class=\"cell-share\" x=\"\(cx)\" y=\"\(HTMLText.coordinate(y + 16))\" style=\"fill:\(ink)\">\(shareText)%</text>"
            + "<text class=\"cell-n\" x=\"\(cx)\" y=\"\(HTMLText.coordinate(y + 29))\" style=\"fill:\(ink)\">n \(n)</text>"
            + "<title>\(HTMLText.escape(group)), standard \(standard): \(shareText)% good or better of \(n) ratings</title></g>"
    }

    /// From pale (#eef4fb) to deep blue (#0b3c6f).
    static func blue(_ t: Double) -> String {
        let from = (238.0, 244.0, 251.0), to = (11.0, 60.0, 111.0)
        func mix(_ a: Double, _ b: Double) -> String {
            let v = Int((a + (b - a) * t).rounded())
            let hex = String(v, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + mix(from.0, to.0) + mix(from.1, to.1) + mix(from.2, to.2)
    }
}
