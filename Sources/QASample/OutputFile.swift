#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written through a 1 MiB buffer of our own (stdio's buffering is switched off,
/// so each byte is copied once). Large writes stay fast and memory stays flat.
final class OutputFile {
    static let bufferSize = 1 << 20

    let path: String
    /// Encoders append here; call `flushIfFull()` after each record.
    var buffer: [UInt8]
    private var file: UnsafeMutablePointer<FILE>?
    private(set) var bytesWritten = 0

    init(path: String) throws(SampleWriteError) {
        guard let file = fopen(path, "wb") else {
            throw .cannotOpen(path: path, reason: OutputFile.lastError())
        }
        setvbuf(file, nil, _IONBF, 0)
        self.path = path
        self.file = file
        buffer = []
        buffer.reserveCapacity(Self.bufferSize + 64 * 1024)
    }

    deinit {
        if let file { fclose(file) }
    }

    func flushIfFull() throws(SampleWriteError) {
        if buffer.count >= Self.bufferSize { try flush() }
    }

    func flush() throws(SampleWriteError) {
        guard let file else { throw .writeFailed(path: path, reason: "file already closed") }
        guard !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else { throw .writeFailed(path: path, reason: OutputFile.lastError()) }
        bytesWritten += written
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(SampleWriteError) {
        try flush()
        guard let file else { return }
        self.file = nil
        if fclose(file) != 0 { throw .writeFailed(path: path, reason: OutputFile.lastError()) }
    }

    /// Removes a file left half-written by a failure, so it is never mistaken for a sample.
    func discard() {
        if let file { fclose(file) }
        file = nil
        unlink(path)
    }

    private static func lastError() -> String {
        guard let message = strerror(errno) else { return "error \(errno)" }
        return String(cString: message)
    }
}
