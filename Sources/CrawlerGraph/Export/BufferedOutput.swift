import Foundation

/// A file written through a 64 KB buffer, under a temporary name until `finish()` renames it
/// into place, so a failed export never leaves a half-written file where the final one goes.
final class BufferedOutput {
    let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 16

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".partial"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath)
        else { throw GraphStoreError.exportFailed(path: path, reason: "the file cannot be created") }
        self.handle = handle
        buffer.reserveCapacity(Self.capacity)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { try flush() }
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw GraphStoreError.exportFailed(path: path, reason: "writing failed (\(error.localizedDescription)); is the disk full?")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        try flush()
        try handle.close()
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
        } catch {
            throw GraphStoreError.exportFailed(path: path, reason: "the finished file could not be moved into place (\(error.localizedDescription))")
        }
    }

    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
