#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a parser stands when it asks for the next chunk; used to place an invalid byte by line and column.
struct LinePosition {
    var line: Int
    /// Bytes of the current line already consumed.
    var bytesIntoLine: Int
    /// The last byte consumed was a carriage return (so a leading line feed does not start a new line).
    var afterCR: Bool
}

/// Reads a file in large chunks with `read(2)` and hands out UTF-8 text bytes: checked when the file is
/// UTF-8, converted when it is Windows-1252. A leading UTF-8 byte-order mark is dropped.
/// Memory is fixed: one raw chunk and one text buffer, allocated once.
final class TextChunkSource {
    static let chunkSize = 1 << 20

    let file: String
    let encoding: TextEncoding
    private let descriptor: Int32
    private let raw: UnsafeMutablePointer<UInt8>
    /// The text bytes of the current chunk, `bytes[0..<count]`.
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    /// Offset in the text stream of `bytes[0]`.
    private(set) var chunkStart = 0
    /// Raw bytes read from the file so far.
    private(set) var bytesRead = 0
    private(set) var isAtEnd = false
    /// Bytes at the end of the last chunk that began a UTF-8 sequence finished in the next chunk.
    private var carry = 0
    private var isFirstChunk = true

    init(path: String, file: String, encoding: TextEncoding) throws(FileProblem) {
        self.file = file
        self.encoding = encoding
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw FileProblem(file: file, reason: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        descriptor = fd
        raw = .allocate(capacity: TextChunkSource.chunkSize + 4)
        bytes = .allocate(capacity: TextChunkSource.chunkSize * 3 + 4)
    }

    deinit {
        close(descriptor)
        raw.deallocate()
        bytes.deallocate()
    }

    /// Replaces the current chunk (which the caller has fully consumed) with the next one.
    /// Returns false at end of file.
    func advance(from position: LinePosition) throws(FileProblem) -> Bool {
        guard !isAtEnd else { return false }
        chunkStart += count
        switch encoding {
        case .utf8: return try advanceUTF8(from: position)
        case .windows1252: return try advanceWindows1252()
        }
    }

    private func readRaw(into target: UnsafeMutablePointer<UInt8>, capacity: Int) throws(FileProblem) -> Int {
        while true {
            let n = read(descriptor, target, capacity)
            if n >= 0 {
                bytesRead += n
                return n
            }
            if errno == EINTR { continue }
            throw FileProblem(file: file, reason: "cannot read the file: \(String(cString: strerror(errno)))")
        }
    }

    private func advanceUTF8(from position: LinePosition) throws(FileProblem) -> Bool {
        // Move the unfinished sequence to the front, then read behind it.
        if carry > 0 { bytes.update(from: bytes + count, count: carry) }
        let n = try readRaw(into: bytes + carry, capacity: TextChunkSource.chunkSize)
        var total = carry + n
        var start = 0
        if isFirstChunk {
            isFirstChunk = false
            if total >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                start = 3
            }
        }
        if start > 0 {
            bytes.update(from: bytes + start, count: total - start)
            total -= start
        }
        if n == 0 { isAtEnd = true }
        switch UTF8Validation.check(bytes, count: total, isFinal: isAtEnd) {
        case .valid(let end):
            count = end
            carry = total - end
        case .invalid(let at):
            throw invalidByte(at: at, from: position)
        }
        return count > 0 || !isAtEnd
    }

    private func advanceWindows1252() throws(FileProblem) -> Bool {
        var n = try readRaw(into: raw, capacity: TextChunkSource.chunkSize)
        var source = UnsafePointer(raw)
        if isFirstChunk {
            isFirstChunk = false
            // A UTF-8 byte-order mark means the file is really UTF-8, but dropping it is still right.
            if n >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF {
                source += 3
                n -= 3
            }
        }
        if n == 0 { isAtEnd = true }
        count = Windows1252.convert(source, count: n, into: bytes)
        return count > 0 || !isAtEnd
    }

    private func invalidByte(at index: Int, from position: LinePosition) -> FileProblem {
        var line = position.line
        var column = position.bytesIntoLine + 1
        var afterCR = position.afterCR
        for i in 0..<index {
            switch bytes[i] {
            case 0x0D:
                line += 1
                column = 1
                afterCR = true
            case 0x0A:
                if !afterCR { line += 1 }
                column = 1
                afterCR = false
            default:
                column += 1
                afterCR = false
            }
        }
        let hex = String(bytes[index], radix: 16, uppercase: true)
        return FileProblem(
            file: file, line: line, column: column,
            reason: "byte 0x\(hex.count < 2 ? "0" : "")\(hex) on line \(line), column \(column) is not valid UTF-8; "
                + "if the file was saved by older Excel as plain \"CSV\", read it with --encoding windows-1252"
        )
    }
}
