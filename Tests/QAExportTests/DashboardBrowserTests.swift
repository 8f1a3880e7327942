import Foundation
import TestSupport
import Testing

/// Headless Chromium, where installed (`Scripts/test` installs Debian's chromium); QA_CHROMIUM names another.
enum Chromium {
    static let path: String? = {
        let candidates = [ProcessInfo.processInfo.environment["QA_CHROMIUM"] ?? ""]
            + ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"]
        return candidates.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs the browser headless on a page; returns its standard output and standard error.
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let folder = try RepositoryPaths.temporaryFolder("chromium")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out").path, err = folder.appendingPathComponent("err").path
        let input = folder.appendingPathComponent("in").path
        try Data().write(to: URL(fileURLWithPath: input))
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder.path  // a profile of its own
        let process = try SpawnedProcess(
            path ?? "chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--user-data-dir=\(folder.appendingPathComponent("profile").path)", "--enable-logging=stderr", "--v=0"]
                + arguments,
            environment: environment, stdin: input, stdout: out, stderr: err)
        let status = process.wait(timeout: 120)
        return (status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}

// Skipped, with this message, only where no Chromium binary is found.
@Suite(.enabled(if: Chromium.path != nil, "Chromium is not installed (apt-get install chromium, or set QA_CHROMIUM); Scripts/test installs it"))
struct DashboardBrowserTests {
    /// The elements the page marks with data-dataset, as attribute dictionaries.
    static func marked(_ dom: String, element: String) throws -> [[String: String]] {
        let tag = try NSRegularExpression(pattern: "<\(element) ([^>]*data-dataset=[^>]*)>")
        let attribute = try NSRegularExpression(pattern: "([a-z-]+)=\"([^\"]*)\"")
        let text = dom as NSString
        return tag.matches(in: dom, range: NSRange(location: 0, length: text.length)).map { match in
            let inside = text.substring(with: match.range(at: 1))
            var out: [String: String] = [:]
            for a in attribute.matches(in: inside, range: NSRange(location: 0, length: (inside as NSString).length)) {
                out[(inside as NSString).substring(with: a.range(at: 1))] = unescape((inside as NSString).substring(with: a.range(at: 2)))
            }
            return out
        }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#123;", with: "{").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func text(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "null" }
        if let d = value as? Double, !(value is Int) { return String(format: "%.1f", d) }
        return "\(value)"
    }

    @Test func theDashboardRendersWithoutErrorsAndShowsTheJSONsNumbers() throws {
        let fixture = try ExportFixture.shared.get()
        let (out, result) = try fixture.export()
        #expect(result.status == 0, "\(result.stderr)")
        let page = out.appendingPathComponent("dashboard.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        // Self-contained: nothing is fetched (a school's name may mention a URL as text; nothing loads it).
        for fetch in ["<link", "src=", "href=\"http", "url(http", "@import", "@font-face"] { #expect(!html.contains(fetch), "\(fetch)") }

        let dump = try Chromium.run(["--virtual-time-budget=3000", "--dump-dom", page.absoluteString])
        #expect(dump.status == 0)
        let consoleLines = dump.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        #expect(consoleLines.isEmpty, "console output: \(consoleLines)")
        let dom = dump.stdout
        #expect(dom.contains("School RAGG*") && dom.contains("</html>"))

        let set = ExportFolderContents(url: out)
        // Heatmap cells: every row of the school breakdown and the trust, with its share and n or suppressed.
        let cells = try Self.marked(dom, element: "g").filter { $0["class"]?.hasPrefix("cell") == true }
        let trust = try set.rows("distribution_by_standard")
        let schools = try set.rows("distribution_by_standard_school")
        for (dataset, rows, key) in [("distribution_by_standard", trust, nil), ("distribution_by_standard_school", schools, Optional("school"))] {
            for row in rows {
                let group = key.map { row[$0] as? String ?? "" } ?? "Trust"
                let standard = "\(row["standard"] ?? "")"
                let cell = cells.first { $0["data-dataset"] == dataset && $0["data-standard"] == standard && $0["data-group"] == group }
                let found = try #require(cell, "\(dataset) \(group) \(standard)")
                if row["suppressed"] as? Bool == true {
                    #expect(found["data-suppressed"] == "true" && found["data-n"] == nil)
                } else {
                    #expect(found["data-n"] == Self.text(row["n"]) && found["data-gob"] == Self.text(row["good_or_better_pct"]), "\(group) \(standard)")
                }
            }
        }
        #expect(cells.filter { $0["data-dataset"] == "distribution_by_standard_school" }.count >= schools.count)
        // Stacked bars for the trust: each segment's count.
        let bars = try Self.marked(dom, element: "g").filter { $0["class"] == "bar" && $0["data-group"] == "Trust" }
        #expect(bars.count == trust.filter { $0["suppressed"] as? Bool == false }.count)
        for bar in bars {
            let row = try #require(trust.first { "\($0["standard"] ?? "")" == bar["data-standard"] })
            for k in ["n", "gold", "green", "amber", "red"] { #expect(bar["data-\(k)"] == Self.text(row[k]), "\(k)") }
        }
        // Trend points.
        let points = try Self.marked(dom, element: "g").filter { $0["class"]?.hasPrefix("point") == true }
        let terms = try set.rows("trend_by_term")
        #expect(points.count == terms.count)
        for (point, term) in zip(points, terms) where term["suppressed"] as? Bool == false {
            #expect(point["data-gob"] == Self.text(term["good_or_better_pct"]) && point["data-n"] == Self.text(term["n"]))
        }
        // The school menu's script ran: exactly one school panel is visible.
        #expect(dom.components(separatedBy: "class=\"school-panel\"").count - 1 == Set(schools.compactMap { $0["school"] as? String }).count)

        // A screenshot for people to look at.
        let shots = RepositoryPaths.root.appendingPathComponent(".build")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let shot = shots.appendingPathComponent("dashboard-screenshot.png")
        try? FileManager.default.removeItem(at: shot)
        let screenshot = try Chromium.run(["--window-size=1400,4200", "--screenshot=\(shot.path)", page.absoluteString])
        #expect(screenshot.status == 0)
        #expect(FileManager.default.fileExists(atPath: shot.path))
    }
}
