/// Bytes appended to one array, reserved up front from the size the caller counted: each value is copied once,
/// without the array growing on the way. A count that falls short only costs the array a reallocation.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    var count: Int { bytes.count }

    /// The bytes `write` writes, room made for `capacity` of them first.
    static func bytes(capacity: Int, _ write: (inout ByteWriter) -> Void) -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(capacity)
        write(&writer)
        return writer.bytes
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// `String(n)`'s digits, without making the String.
    mutating func append(integer n: Int) { DecimalDigits.append(n, to: &bytes) }

    mutating func append(_ byte: UInt8, times: Int) {
        guard times > 0 else { return }
        bytes.append(contentsOf: repeatElement(byte, count: times))
    }

    /// Takes back the bytes equal to `byte` at the end, down to `start` at most.
    mutating func drop(trailing byte: UInt8, downTo start: Int) {
        while bytes.count > start && bytes.last == byte { bytes.removeLast() }
    }
}
