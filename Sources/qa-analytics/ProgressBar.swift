import Foundation

/// A one-line progress display on standard error (rows, MB, rows/s), only when it is a terminal.
final class ProgressBar {
    let enabled: Bool
    let started = Date()
    var lastDrawn = Date.distantPast
    var drew = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(rows: Int, bytes: Int) {
        guard enabled, Date().timeIntervalSince(lastDrawn) > 0.2 else { return }
        lastDrawn = Date()
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let line = String(format: "\r%10d rows  %8.1f MB  %9.0f rows/s", rows, Double(bytes) / 1_000_000, Double(rows) / seconds)
        FileHandle.standardError.write(Data(line.utf8))
        drew = true
    }

    func finish() {
        guard drew else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drew = false
    }
}
