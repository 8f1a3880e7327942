import Foundation
import QACore

/// The SHA-256 and size of a file, computed on another thread while the file is being loaded.
final class FileDigest: @unchecked Sendable {
    struct Result: Sendable {
        var bytes: Int
        /// nil until computed (or when the file cannot be read).
        var sha256: String?
    }

    private let done = DispatchSemaphore(value: 0)
    private var result = Result(bytes: 0, sha256: nil)

    static func start(path: String) -> FileDigest {
        let digest = FileDigest()
        let thread = Thread {
            digest.result = FileDigest.compute(path: path)
            digest.done.signal()
        }
        thread.start()
        return digest
    }

    /// Waits for the hash. Safe to call more than once.
    func wait() -> Result {
        done.wait()
        done.signal()
        return result
    }

    /// The file's size from the file system, without reading it.
    static func size(path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func compute(path: String) -> Result {
        guard let handle = FileHandle(forReadingAtPath: path) else { return Result(bytes: 0, sha256: nil) }
        defer { try? handle.close() }
        var hash = SHA256()
        var total = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            total += chunk.count
            chunk.withUnsafeBytes { hash.update($0) }
        }
        return Result(bytes: total, sha256: hash.finishHex())
    }
}
