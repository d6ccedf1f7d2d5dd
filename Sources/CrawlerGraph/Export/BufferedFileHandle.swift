import CrawlerSystem
import Foundation

/// A new file next to an export, written through a 64 KB buffer: what `BufferedOutput` (the
/// export being written) and `SpillFile` (scratch space) share.
final class BufferedFileHandle {
    /// The open file.
    let handle: FileHandle
    /// Its path when created (`SpillFile` unlinks it at once).
    let temporaryPath: String
    private let exportPath: String
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 16

    /// Creates `.NAME.ROLE-XXXXXX` with `mkstemp` in the folder of `exportPath`, so nothing
    /// already there is followed or reused; `role` names it in errors too.
    init(besides exportPath: String, role: String) throws {
        self.exportPath = exportPath
        let url = URL(fileURLWithPath: exportPath)
        let template = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(role)-XXXXXX").path
        let descriptor: Int32
        do {
            (descriptor, temporaryPath) = try Posix.mkstemp(template: template)
        } catch {
            throw GraphStoreError.exportFailed(path: exportPath, reason: "a file cannot be created next to it (\(error.reason))", underlying: error)
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

    /// Appends `bytes`.
    func write<Bytes: Sequence>(bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { try flush() }
    }

    /// Hands what is buffered to the kernel.
    func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw GraphStoreError.exportFailed(path: exportPath, reason: "writing failed (\(error.localizedDescription)); is the disk full?", underlying: error)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
