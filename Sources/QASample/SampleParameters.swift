/// What to generate: how many schools and records, from which seed.
public struct SampleParameters: Sendable, Hashable {
    public var schools: Int
    public var records: Int
    public var seed: UInt64
    /// Spell some ratings the ways exports in the wild do (`Gold`, `green`, `a`) instead of always `G*`/`G`/`A`/`R`.
    public var variedSpellings: Bool

    public init(schools: Int = 8, records: Int = 10_000, seed: UInt64 = 1, variedSpellings: Bool = false) {
        self.schools = schools
        self.records = records
        self.seed = seed
        self.variedSpellings = variedSpellings
    }
}

/// The file formats a sample can be written in, chosen by the output file's extension.
public enum SampleFormat: Sendable, Hashable {
    /// Wide CSV (RFC 4180, UTF-8 without BOM, LF line endings): `.csv`.
    case csv
    /// One JSON object per line: `.jsonl` or `.ndjson`.
    case jsonLines

    /// Nil when the extension is not one of `.csv`, `.jsonl`, `.ndjson` (any case).
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "jsonl", "ndjson": self = .jsonLines
        default: return nil
        }
    }
}
