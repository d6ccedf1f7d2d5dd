import CrawlerSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A nameless scratch file next to an export (created with `mkstemp` in the destination's
/// folder and unlinked at once, so nothing is left behind however the process ends): text an
/// exporter must write twice, or later than it streams past, waits here instead of in memory.
final class SpillFile {
    private let exportPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 16

    /// A scratch file in the folder of `exportPath` (the export it serves, named in errors).
    init(besides exportPath: String) throws {
        self.exportPath = exportPath
        let url = URL(fileURLWithPath: exportPath)
        let template = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).spill-XXXXXX").path
        let descriptor: Int32
        do {
            let created = try Posix.mkstemp(template: template)
            descriptor = created.descriptor
            unlink(created.path)
        } catch {
            throw GraphStoreError.exportFailed(path: exportPath, reason: "a scratch file cannot be created next to it (\(error.reason))", underlying: error)
        }
        try? Posix.setCloseOnExec(descriptor)
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        buffer.reserveCapacity(Self.capacity)
    }

    /// Appends `text`.
    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { try flush() }
    }

    /// Everything written, from the start, into `output`, a megabyte at a time.
    func copy(into output: BufferedOutput) throws {
        try flush()
        do {
            try handle.seek(toOffset: 0)
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try output.write(bytes: chunk)
            }
        } catch let error as GraphStoreError {
            throw error
        } catch {
            throw GraphStoreError.exportFailed(path: exportPath, reason: "its scratch file could not be read back (\(error.localizedDescription))", underlying: error)
        }
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw GraphStoreError.exportFailed(path: exportPath, reason: "writing its scratch file failed (\(error.localizedDescription)); is the disk full?", underlying: error)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
