/// Bytes appended to one array, either kept whole (`bytes`) or handed on in pieces as they fill (`stream`): a large
/// answer is written while it is made, and never held whole a second time as text (a year's triangulation at
/// 3 million records is 78 MB of JSON).
struct ByteWriter {
    var bytes: [UInt8] = []
    /// Where full pieces go when streaming; nil keeps every byte in `bytes`.
    private let sink: ((UnsafeRawBufferPointer) -> Void)?
    private let piece: Int

    private init(sink: ((UnsafeRawBufferPointer) -> Void)?, piece: Int) {
        self.sink = sink
        self.piece = piece
    }

    var count: Int { bytes.count }

    /// The bytes `write` writes, room made for `capacity` of them first.
    static func bytes(capacity: Int, _ write: (inout ByteWriter) -> Void) -> [UInt8] {
        var writer = ByteWriter(sink: nil, piece: .max)
        writer.bytes.reserveCapacity(capacity)
        write(&writer)
        return writer.bytes
    }

    /// The bytes `write` writes, handed to `sink` in pieces of at least `piece` bytes (but the last), each ending
    /// where a row ends (`endRow`), so a writer may still take back bytes of the row it is writing.
    static func stream(piece: Int = 1 << 18, to sink: (UnsafeRawBufferPointer) -> Void, _ write: (inout ByteWriter) -> Void) {
        withoutActuallyEscaping(sink) { sink in
            var writer = ByteWriter(sink: sink, piece: max(piece, 1))
            writer.bytes.reserveCapacity(min(piece, 1 << 20) + 4096)
            write(&writer)
            if !writer.bytes.isEmpty { writer.bytes.withUnsafeBytes(sink) }
        }
    }

    /// A row is written whole: when streaming, the bytes so far go out once there are enough of them.
    mutating func endRow() {
        guard let sink, bytes.count >= piece else { return }
        bytes.withUnsafeBytes(sink)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(_ byte: UInt8, times: Int) {
        guard times > 0 else { return }
        bytes.append(contentsOf: repeatElement(byte, count: times))
    }

    /// Takes back the bytes equal to `byte` at the end, down to `start` at most (a place in the current row).
    mutating func drop(trailing byte: UInt8, downTo start: Int) {
        while bytes.count > start && bytes.last == byte { bytes.removeLast() }
    }
}
