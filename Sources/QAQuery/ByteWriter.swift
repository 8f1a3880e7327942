/// Bytes written straight into an array's storage, after the writer's caller has counted how many there can be:
/// each value is copied once, with no growing, and a write beyond the count stops the program rather than
/// overrunning the buffer.
struct ByteWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0

    private init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// The bytes `write` writes, `capacity` at most.
    static func bytes(capacity: Int, _ write: (inout ByteWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: max(capacity, 1)) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            var writer = ByteWriter(base: base, capacity: buffer.count)
            write(&writer)
            initialized = writer.count
        }
    }

    mutating func append(_ byte: UInt8) {
        precondition(count < capacity, "more bytes written than counted")
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        precondition(bytes.count <= capacity - count, "more bytes written than counted")
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
        if copied == nil {
            for byte in text.utf8 { append(byte) }
        }
    }

    mutating func append(_ byte: UInt8, times: Int) {
        guard times > 0 else { return }
        precondition(times <= capacity - count, "more bytes written than counted")
        (base + count).initialize(repeating: byte, count: times)
        count += times
    }

    /// Takes back the bytes equal to `byte` at the end, down to `start` at most.
    mutating func drop(trailing byte: UInt8, downTo start: Int) {
        while count > start && base[count - 1] == byte { count -= 1 }
    }
}
