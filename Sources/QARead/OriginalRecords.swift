/// Finds the original text of chosen records in an evidence file, by the physical line they start on.
/// The loader uses it for rows that PostgreSQL rejects after reading (an evidence_id used twice),
/// so the rejects file can hold them as written without keeping every row in memory while loading.
public enum OriginalRecords {
    /// CSV: the record's raw fields; JSON Lines: `[the raw line]`. Lines not found are absent.
    public static func find(lines wanted: Set<Int>, path: String, options: ReadOptions) throws(FileProblem) -> [Int: [String]] {
        guard !wanted.isEmpty else { return [:] }
        var found: [Int: [String]] = [:]
        let format = options.format ?? InputFormat(path: path) ?? .csv
        switch format {
        case .csv:
            let parser = try CSVParser(
                path: path, encoding: options.encoding, maxFieldBytes: options.maxFieldBytes,
                maxFields: options.maxFields, maxRecordBytes: options.maxRecordBytes)
            while let row = try parser.next() {
                if wanted.contains(row.line) { found[row.line] = row.fields }
                if found.count == wanted.count { break }
            }
        case .jsonLines:
            let source = try TextChunkSource(path: path, file: path, encoding: options.encoding)
            let splitter = LineSplitter(source: source, maxLineBytes: options.maxRecordBytes)
            while let line = try splitter.next() {
                if wanted.contains(line.number) { found[line.number] = [String(decoding: line.bytes, as: UTF8.self)] }
                if found.count == wanted.count { break }
            }
        }
        return found
    }
}
