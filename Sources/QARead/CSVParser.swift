/// A fast RFC 4180 reader: a byte-level state machine over 1 MiB chunks that yields one record at a time,
/// with the physical line it starts on. Memory stays bounded whatever the input: a field keeps at most
/// `maxFieldBytes`, a record at most `maxFields` fields and `maxRecordBytes` bytes.
///
/// Lenient where Excel is: a quote inside an unquoted field is data, and text after a closing quote joins
/// the field (`"ab"c` reads as `abc`). Line breaks are LF, CRLF or a lone CR, mixed freely; line breaks
/// inside quoted fields are kept as they are and counted as physical lines. Empty lines are skipped.
public final class CSVParser {
    private let source: TextChunkSource
    private var scanner: CSVScanner

    /// Opens `path`. `file` is the name used in problems (defaults to the path).
    public convenience init(
        path: String, file: String? = nil, encoding: TextEncoding = .utf8,
        maxFieldBytes: Int = 1 << 20, maxFields: Int = 1000, maxRecordBytes: Int = 8 << 20
    ) throws(FileProblem) {
        let source = try TextChunkSource(path: path, file: file ?? path, encoding: encoding)
        self.init(source: source, maxFieldBytes: maxFieldBytes, maxFields: maxFields, maxRecordBytes: maxRecordBytes)
    }

    init(source: TextChunkSource, maxFieldBytes: Int, maxFields: Int, maxRecordBytes: Int) {
        self.source = source
        scanner = CSVScanner(maxFieldBytes: maxFieldBytes, maxFields: maxFields, maxRecordBytes: maxRecordBytes)
    }

    /// The physical line the parser has reached.
    public var physicalLine: Int { scanner.line }
    /// Raw bytes read from the file so far.
    public var bytesRead: Int { source.bytesRead }

    /// The next record, or nil at the end of the file. Throws only for whole-file problems
    /// (unreadable file, invalid UTF-8).
    public func next() throws(FileProblem) -> CSVRow? {
        while true {
            if scanner.position >= source.count {
                if source.count > 0 { scanner.chunkStartsAfterCR = source.bytes[source.count - 1] == 0x0D }
                let here = LinePosition(
                    line: scanner.line, bytesIntoLine: source.chunkStart + source.count - scanner.lineStart,
                    afterCR: scanner.chunkStartsAfterCR
                )
                guard try source.advance(from: here) else {
                    return scanner.inRecord ? scanner.finishRecord(atEnd: true) : nil
                }
                scanner.position = 0
                continue
            }
            // One exclusive access to `scanner` for the whole chunk scan, instead of one per field.
            if let row = scanner.scan(UnsafePointer(source.bytes), count: source.count, chunkStart: source.chunkStart) {
                return row
            }
        }
    }
}

/// The parser's state machine and the record it is building. A struct, so the hot loop works on
/// plain stored properties without per-access exclusivity checks.
struct CSVScanner {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private static let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    private let maxFieldBytes: Int
    private let maxFields: Int
    private let maxRecordBytes: Int

    var position = 0
    private var state = State.fieldStart
    /// The physical line of the next byte.
    var line = 1
    /// Text-stream offset of the first byte of the current physical line.
    var lineStart = 0
    /// Whether the previous chunk's last byte was a carriage return.
    var chunkStartsAfterCR = false

    // The record being built: all fields' bytes back to back, and where each ends.
    private var storage: [UInt8] = []
    private var fieldEnds: [Int] = []
    private var fieldCount = 0
    private var fieldLength = 0
    var inRecord = false
    private var recordLine = 0
    private var quoteLine = 0
    private var recordOverflow = false
    private var fieldProblem: CSVRowProblem?

    init(maxFieldBytes: Int, maxFields: Int, maxRecordBytes: Int) {
        self.maxFieldBytes = max(1, maxFieldBytes)
        self.maxFields = max(1, maxFields)
        self.maxRecordBytes = max(self.maxFieldBytes, maxRecordBytes)
        storage.reserveCapacity(1 << 16)
        fieldEnds.reserveCapacity(64)
    }

    /// Consumes bytes of the current chunk until a record ends (returned) or the chunk runs out (nil).
    mutating func scan(_ p: UnsafePointer<UInt8>, count n: Int, chunkStart: Int) -> CSVRow? {
        var i = position
        defer { position = i }
        scanning: while i < n {
            switch state {
            case .fieldStart:
                let b = p[i]
                if !inRecord {
                    if b == CSVScanner.lf || b == CSVScanner.cr {
                        countLineBreak(at: i, in: p, chunkStart: chunkStart)
                        i &+= 1
                        continue scanning
                    }
                    inRecord = true
                    recordLine = line
                }
                if b == CSVScanner.quote {
                    state = .quoted
                    quoteLine = line
                    i &+= 1
                } else {
                    state = .unquoted
                }
            case .unquoted:
                var j = i
                while j < n {
                    let b = p[j]
                    // Every special byte (, " CR LF NUL) is at most 0x2C.
                    if b > CSVScanner.comma { j &+= 1; continue }
                    if b == CSVScanner.comma || b == CSVScanner.quote || b == CSVScanner.cr || b == CSVScanner.lf || b == 0 {
                        break
                    }
                    j &+= 1
                }
                if j > i { append(p + i, j &- i) }
                i = j
                if i == n { break scanning }
                let b = p[i]
                i &+= 1
                switch b {
                case CSVScanner.comma:
                    endField()
                    state = .fieldStart
                case CSVScanner.cr, CSVScanner.lf:
                    countLineBreak(at: i &- 1, in: p, chunkStart: chunkStart)
                    return finishRecord(atEnd: false)
                case CSVScanner.quote:
                    append(p + (i &- 1), 1)
                default:
                    noteNUL()
                }
            case .quoted:
                var j = i
                while j < n {
                    let b = p[j]
                    if b > CSVScanner.quote { j &+= 1; continue }
                    if b == CSVScanner.quote || b == CSVScanner.cr || b == CSVScanner.lf || b == 0 { break }
                    j &+= 1
                }
                if j > i { append(p + i, j &- i) }
                i = j
                if i == n { break scanning }
                let b = p[i]
                i &+= 1
                switch b {
                case CSVScanner.quote:
                    state = .quoteInQuoted
                case CSVScanner.cr, CSVScanner.lf:
                    append(p + (i &- 1), 1)
                    countLineBreak(at: i &- 1, in: p, chunkStart: chunkStart)
                default:
                    noteNUL()
                }
            case .quoteInQuoted:
                let b = p[i]
                switch b {
                case CSVScanner.quote:
                    append(p + i, 1)
                    state = .quoted
                    i &+= 1
                case CSVScanner.comma:
                    endField()
                    state = .fieldStart
                    i &+= 1
                case CSVScanner.cr, CSVScanner.lf:
                    countLineBreak(at: i, in: p, chunkStart: chunkStart)
                    i &+= 1
                    return finishRecord(atEnd: false)
                default:
                    state = .unquoted
                }
            }
        }
        return nil
    }

    @inline(__always)
    private mutating func countLineBreak(at index: Int, in p: UnsafePointer<UInt8>, chunkStart: Int) {
        if p[index] == CSVScanner.lf {
            let afterCR = index > 0 ? p[index - 1] == CSVScanner.cr : chunkStartsAfterCR
            if !afterCR { line &+= 1 }
        } else {
            line &+= 1
        }
        lineStart = chunkStart &+ index &+ 1
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        let before = fieldLength
        fieldLength &+= length
        if fieldLength > maxFieldBytes, fieldProblem == nil {
            fieldProblem = .fieldTooLong(index: fieldCount, limit: maxFieldBytes)
        }
        guard fieldCount < maxFields else { return }
        let room = min(maxFieldBytes - before, maxRecordBytes - storage.count)
        let take = min(length, max(0, room))
        if take > 0 { storage.append(contentsOf: UnsafeBufferPointer(start: bytes, count: take)) }
        if take < length, storage.count >= maxRecordBytes, before + take < maxFieldBytes {
            recordOverflow = true
        }
    }

    private mutating func noteNUL() {
        if fieldProblem == nil { fieldProblem = .nulByte(index: fieldCount) }
    }

    @inline(__always)
    private mutating func endField() {
        if fieldCount < maxFields { fieldEnds.append(storage.count) }
        fieldCount &+= 1
        fieldLength = 0
    }

    mutating func finishRecord(atEnd: Bool) -> CSVRow {
        let unclosed = atEnd && state == .quoted
        endField()
        let problem: CSVRowProblem?
        if unclosed {
            problem = .unclosedQuote(openedOnLine: quoteLine)
        } else if fieldCount > maxFields {
            problem = .tooManyFields(count: fieldCount, limit: maxFields)
        } else if recordOverflow {
            problem = .recordTooLong(limit: maxRecordBytes)
        } else {
            problem = fieldProblem
        }
        let fields = storage.withUnsafeBufferPointer { buffer -> [String] in
            var out: [String] = []
            out.reserveCapacity(fieldEnds.count)
            var start = 0
            for end in fieldEnds {
                out.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self))
                start = end
            }
            return out
        }
        let row = CSVRow(line: recordLine, fields: fields, fieldCount: fieldCount, problem: problem)
        storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldCount = 0
        fieldLength = 0
        inRecord = false
        recordOverflow = false
        fieldProblem = nil
        state = .fieldStart
        return row
    }
}
