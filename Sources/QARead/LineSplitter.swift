/// Splits text into lines for JSON Lines, holding at most `maxLineBytes` of one line in memory.
/// A line ends at LF; a CR before it is dropped.
final class LineSplitter {
    struct Line {
        /// 1-based physical line number.
        var number: Int
        var bytes: [UInt8]
        /// The line was longer than the limit; `bytes` holds only its start.
        var isCut: Bool
    }

    private let source: TextChunkSource
    private let maxLineBytes: Int
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private var current: [UInt8] = []
    private var isCut = false
    private var started = false

    init(source: TextChunkSource, maxLineBytes: Int) {
        self.source = source
        self.maxLineBytes = maxLineBytes
    }

    var physicalLine: Int { line }

    /// The next line (blank ones included), or nil at the end of the file.
    func next() throws(FileProblem) -> Line? {
        while true {
            if position >= source.count {
                let here = LinePosition(
                    line: line, bytesIntoLine: source.chunkStart + source.count - lineStart, afterCR: false
                )
                guard try source.advance(from: here) else {
                    return started ? finish() : nil
                }
                position = 0
                continue
            }
            let p = source.bytes
            let n = source.count
            var j = position
            while j < n, p[j] != 0x0A { j &+= 1 }
            started = true
            let room = maxLineBytes - current.count
            let length = j - position
            if length > room { isCut = true }
            let take = max(0, min(length, room))
            if take > 0 { current.append(contentsOf: UnsafeBufferPointer(start: p + position, count: take)) }
            if j < n {
                position = j + 1
                lineStart = source.chunkStart + position
                return finish()
            }
            position = j
        }
    }

    private func finish() -> Line {
        if !isCut, current.last == 0x0D { current.removeLast() }
        let result = Line(number: line, bytes: current, isCut: isCut)
        line += 1
        current.removeAll(keepingCapacity: current.capacity <= 1 << 20)
        isCut = false
        started = false
        return result
    }
}
