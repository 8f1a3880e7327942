/// The layout of an evidence file.
public enum InputFormat: String, Sendable, Hashable, CaseIterable {
    /// Comma-separated values, one row per evidence record, with a header row.
    case csv
    /// JSON Lines: one JSON object per line.
    case jsonLines

    /// `csv`, `jsonl` or `ndjson` (any case, with or without the dot).
    public init?(fileExtension: String) {
        var ext = Substring(fileExtension.lowercased())
        if ext.hasPrefix(".") { ext = ext.dropFirst() }
        switch ext {
        case "csv": self = .csv
        case "jsonl", "ndjson": self = .jsonLines
        default: return nil
        }
    }

    /// The value of `--format`: `csv`, `jsonl`, `ndjson` or `jsonlines`.
    public init?(name: String) {
        switch name.lowercased() {
        case "csv": self = .csv
        case "jsonl", "ndjson", "jsonlines", "json-lines": self = .jsonLines
        default: return nil
        }
    }

    /// The format implied by a path's extension (`evidence.ndjson` is JSON Lines).
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        self.init(fileExtension: String(name[name.index(after: dot)...]))
    }
}

/// The character encoding of an evidence file.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    /// UTF-8, with or without a byte-order mark. Invalid bytes fail the whole file.
    case utf8
    /// Windows code page 1252 (what older Excel versions save as "CSV").
    /// Every byte converts; the five bytes the code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    /// become the C1 control characters with the same number, as the WHATWG Encoding Standard does.
    case windows1252

    /// The value of `--encoding`: `utf-8`, `utf8`, `windows-1252`, `cp1252`.
    public init?(name: String) {
        switch name.lowercased().filter({ $0 != "-" && $0 != "_" }) {
        case "utf8": self = .utf8
        case "windows1252", "cp1252", "win1252": self = .windows1252
        default: return nil
        }
    }
}
