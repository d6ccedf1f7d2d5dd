import CrawlerSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file written through a 64 KB buffer into a new temporary file in the destination's folder
/// (created with `mkstemp`, so nothing already there is followed or reused); `finish()` flushes
/// it to disk and `rename(2)`s it over the destination, so a reader sees the old file or the
/// whole new one, and a failed export leaves the destination as it was.
final class BufferedOutput {
    let path: String
    private let file: BufferedFileHandle

    init(path: String) throws {
        self.path = path
        file = try BufferedFileHandle(besides: path, role: "partial")
        // mkstemp makes the file private (0600); an export is an ordinary file for others to read.
        try? Posix.fchmod(file.handle.fileDescriptor, mode: 0o644)
    }

    func write(_ text: String) throws { try file.write(text) }

    func write<Bytes: Sequence>(bytes: Bytes) throws where Bytes.Element == UInt8 { try file.write(bytes: bytes) }

    /// Moves the finished file into place. What is at the destination is judged again just
    /// before the rename: only a regular file is ever replaced (`rename(2)` would replace a
    /// symbolic link or a device node itself, and a directory must never be touched).
    func finish() throws {
        try file.flush()
        let handle = file.handle, temporaryPath = file.temporaryPath
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw GraphStoreError.exportFailed(path: path, reason: "writing failed (\(error.localizedDescription)); is the disk full?", underlying: error)
        }
        switch PathKind.inspect(path) {
        case .missing, .regularFile: break
        case let other:
            unlink(temporaryPath)
            throw GraphStoreError.exportRefused(
                path: path, reason: "it is \(other.noun), and an export only ever replaces a regular file; pass --output with a file path")
        }
        do {
            try Posix.rename(temporaryPath, to: path)
        } catch {
            unlink(temporaryPath)
            throw GraphStoreError.exportFailed(path: path, reason: "the finished file could not be moved into place (\(error.reason))", underlying: error)
        }
    }

    func discard() {
        try? file.handle.close()
        unlink(file.temporaryPath)
    }
}
