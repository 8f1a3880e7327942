import QACore

/// How to read an evidence file.
public struct ReadOptions: Sendable {
    /// Nil: chosen from the file's extension (`.csv`, `.jsonl`, `.ndjson`).
    public var format: InputFormat?
    public var encoding: TextEncoding
    /// Dates after this day are rejected as being in the future.
    public var today: CalendarDate
    /// A field (CSV) longer than this many bytes rejects its row. The reader never holds more than this
    /// much of one field in memory.
    public var maxFieldBytes: Int
    /// A CSV row with more fields than this is rejected without storing the extra fields.
    public var maxFields: Int
    /// A whole row (CSV) or line (JSON Lines) longer than this many bytes is rejected; bounds memory per row.
    /// Never less than `maxFieldBytes`.
    public var maxRecordBytes: Int

    public init(
        format: InputFormat? = nil,
        encoding: TextEncoding = .utf8,
        today: CalendarDate,
        maxFieldBytes: Int = 1 << 20,
        maxFields: Int = 1000,
        maxRecordBytes: Int = 8 << 20
    ) {
        self.format = format
        self.encoding = encoding
        self.today = today
        self.maxFieldBytes = max(1, maxFieldBytes)
        self.maxFields = max(1, maxFields)
        self.maxRecordBytes = max(self.maxFieldBytes, maxRecordBytes)
    }
}
