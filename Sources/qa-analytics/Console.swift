import Foundation
import Logging

/// Log output on standard error: plain lines for people, or one JSON object per event for log collectors.
enum Console {
    private static let once = Bootstrap()

    static func bootstrap(format: LogFormat, verbose: Bool) {
        once.run(format: format, verbose: verbose)
    }

    final class Bootstrap: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false

        func run(format: LogFormat, verbose: Bool) {
            lock.lock()
            defer { lock.unlock() }
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { label in
                var handler = ConsoleLogHandler(label: label, json: format == .json)
                handler.logLevel = verbose ? .debug : .info
                return handler
            }
        }
    }

    /// Writes a line to standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
    static var standardOutputIsTerminal: Bool { isatty(1) == 1 }
}

struct ConsoleLogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, json: Bool) {
        self.label = label
        self.json = json
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line: String
        if json {
            var object: [String: String] = [
                "time": ISO8601DateFormatter().string(from: Date()),
                "level": event.level.rawValue,
                "message": event.message.description,
            ]
            for (key, value) in merged { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        } else {
            let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let prefix = event.level >= .warning ? "\(event.level.rawValue): " : ""
            line = prefix + event.message.description + details
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
