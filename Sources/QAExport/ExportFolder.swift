import Foundation

/// Writes an export into a temporary sibling folder and renames it into place when complete, so a reader
/// polling the folder sees the previous set or the new one, never half of one. An existing folder is replaced
/// only when it holds an earlier export (a manifest.json) or nothing.
struct ExportFolder {
    let target: URL
    let staging: URL

    init(target: URL) throws {
        self.target = target.standardizedFileURL
        let parent = self.target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        staging = parent.appendingPathComponent(".\(self.target.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: self.target.path, isDirectory: &isDirectory) {
            let contents = (try? fm.contentsOfDirectory(atPath: self.target.path)) ?? []
            guard isDirectory.boolValue, contents.isEmpty || contents.contains("manifest.json") else {
                throw ExportError.notAnExportFolder(self.target.path)
            }
        }
        try fm.createDirectory(at: staging, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o750])
    }

    func write(_ name: String, _ data: Data) throws {
        try data.write(to: staging.appendingPathComponent(name))
    }

    /// Renames the staged set into place (the old set, if any, is moved aside first and then deleted).
    func commit() throws {
        let fm = FileManager.default
        var old: URL?
        if fm.fileExists(atPath: target.path) {
            let aside = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try fm.moveItem(at: target, to: aside)
            old = aside
        }
        do {
            try fm.moveItem(at: staging, to: target)
        } catch {
            if let old { try? fm.moveItem(at: old, to: target) }
            throw error
        }
        if let old { try? fm.removeItem(at: old) }
    }

    func discard() { try? FileManager.default.removeItem(at: staging) }
}
