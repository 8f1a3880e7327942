import QACore

/// Reads an evidence file (CSV or JSON Lines) one record at a time, validating each:
/// `next()` returns an accepted record (perhaps with warnings) or a reject, and nil at the end.
/// Whole-file problems (cannot open, empty, not UTF-8, unusable header) are thrown as `FileProblem`.
/// Memory stays bounded by the options' limits whatever the file holds.
///
/// Rows whose fields are all blank (Excel's trailing `,,,,` rows) are skipped like empty lines.
/// Duplicate evidence ids are not detected here; the loader finds them in the database.
/// Not thread-safe: use one reader from one thread.
public final class EvidenceReader {
    private enum Body {
        case csv(CSVParser, CSVHeader)
        case jsonLines(LineSplitter)
    }

    /// The file's name as used in rejects and warnings (the path's last component).
    public let file: String
    public let options: ReadOptions
    public let format: InputFormat
    /// One warning per unknown or unnamed column (CSV, from the header) or unknown key (JSON Lines,
    /// added the first time each appears).
    public private(set) var headerWarnings: [ReadWarning] = []
    /// The CSV header as in the file; `["record"]` for JSON Lines.
    public let originalHeader: [String]

    private let source: TextChunkSource
    private let body: Body
    private let validator: EvidenceValidator
    private var seenUnknownKeys = Set<String>()
    private let jsonDecoder = JSONLineDecoder()

    public init(path: String, options: ReadOptions) throws(FileProblem) {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        self.file = file
        self.options = options
        guard let format = options.format ?? InputFormat(path: path) else {
            throw FileProblem(
                file: file,
                reason: "cannot tell the format from the file name; name it .csv, .jsonl or .ndjson, or use --format csv|jsonl"
            )
        }
        self.format = format
        source = try TextChunkSource(path: path, file: file, encoding: options.encoding)
        validator = EvidenceValidator(today: options.today)
        switch format {
        case .csv:
            let parser = CSVParser(
                source: source, maxFieldBytes: options.maxFieldBytes, maxFields: options.maxFields,
                maxRecordBytes: options.maxRecordBytes
            )
            guard let headerRow = try parser.next() else {
                throw FileProblem(
                    file: file, reason: source.bytesRead == 0 ? "the file is empty" : "the file has no header row"
                )
            }
            if let problem = headerRow.problem {
                throw FileProblem(
                    file: file, line: headerRow.line,
                    reason: "the header row cannot be read: \(CSVProblemText.describe(problem, header: headerRow.fields))"
                )
            }
            let header = try CSVHeader(headerRow.fields, file: file, line: headerRow.line)
            originalHeader = header.original
            headerWarnings = header.warnings
            body = .csv(parser, header)
        case .jsonLines:
            originalHeader = ["record"]
            body = .jsonLines(LineSplitter(source: source, maxLineBytes: options.maxRecordBytes))
            // Reading the first chunk now makes an empty file fail at open, as it does for CSV.
            if try !source.advance(from: LinePosition(line: 1, bytesIntoLine: 0, afterCR: false)),
               source.bytesRead == 0 {
                throw FileProblem(file: file, reason: "the file is empty")
            }
        }
    }

    /// Raw bytes read so far, for a progress bar.
    public var bytesRead: Int { source.bytesRead }

    /// The physical line the reader has reached.
    public var physicalLine: Int {
        switch body {
        case .csv(let parser, _): parser.physicalLine
        case .jsonLines(let lines): lines.physicalLine
        }
    }

    /// The next record, or nil at the end of the file.
    public func next() throws(FileProblem) -> ReadOutcome? {
        switch body {
        case .csv(let parser, let header): try nextCSV(parser, header)
        case .jsonLines(let lines): try nextJSONLine(lines)
        }
    }

    private func nextCSV(_ parser: CSVParser, _ header: CSVHeader) throws(FileProblem) -> ReadOutcome? {
        while let row = try parser.next() {
            func reject(_ column: String?, _ reason: String) -> ReadOutcome {
                .rejected(Reject(file: file, line: row.line, column: column, reason: reason, original: row.fields))
            }
            if let problem = row.problem {
                switch problem {
                case .unclosedQuote, .tooManyFields, .recordTooLong:
                    return reject(nil, CSVProblemText.describe(problem, header: header.original))
                case .fieldTooLong(let index, _), .nulByte(let index):
                    if row.fieldCount != header.original.count { break }
                    return reject(CSVProblemText.columnName(index, header: header.original),
                                  CSVProblemText.describe(problem, header: header.original))
                }
            }
            if row.fields.allSatisfy({ Text.trimmed($0) == nil }) { continue }
            guard row.fieldCount == header.original.count else {
                return reject(nil, "the row has \(row.fieldCount) field\(row.fieldCount == 1 ? "" : "s") but the header has "
                    + "\(header.original.count); check for a missing comma or an unquoted comma inside a value")
            }
            return outcome(header.raw(row.fields), labels: header.labels, line: row.line, original: row.fields)
        }
        return nil
    }

    private func nextJSONLine(_ lines: LineSplitter) throws(FileProblem) -> ReadOutcome? {
        while let line = try lines.next() {
            let text = String(decoding: line.bytes, as: UTF8.self)
            if line.isCut {
                return .rejected(Reject(
                    file: file, line: line.number, column: nil,
                    reason: "the line is longer than \(ByteCount.describe(options.maxRecordBytes)); it was not read",
                    original: [text]
                ))
            }
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            if line.bytes.contains(0) {
                return .rejected(Reject(
                    file: file, line: line.number, column: nil,
                    reason: "the line contains a NUL byte (character code 0), which cannot be stored; remove it",
                    original: [text.filter { $0 != "\0" }]
                ))
            }
            switch jsonDecoder.decode(line.bytes) {
            case .invalid(let column, let reason):
                return .rejected(Reject(file: file, line: line.number, column: column, reason: reason, original: [text]))
            case .raw(let raw, let unknownKeys):
                for key in unknownKeys where seenUnknownKeys.insert(key).inserted {
                    headerWarnings.append(ReadWarning(
                        file: file, line: line.number, column: key, message: "unknown key \"\(key)\" is ignored"
                    ))
                }
                return outcome(raw, labels: .canonical, line: line.number, original: [text])
            }
        }
        return nil
    }

    private func outcome(_ raw: RawEvidence, labels: ColumnLabels, line: Int, original: [String]) -> ReadOutcome {
        switch validator.validate(raw, labels: labels) {
        case .accepted(let record, let warnings):
            return .accepted(record, line: line, warnings: warnings.map {
                ReadWarning(file: file, line: line, column: $0.column, message: $0.message)
            })
        case .rejected(let column, let reason):
            return .rejected(Reject(file: file, line: line, column: column, reason: reason, original: original))
        }
    }
}
