import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A nameless scratch file next to an export (created in the destination's folder and unlinked
/// at once, so nothing is left behind however the process ends): text an exporter must write
/// twice, or later than it streams past, waits here instead of in memory.
final class SpillFile {
    private let exportPath: String
    private let file: BufferedFileHandle

    /// A scratch file in the folder of `exportPath` (the export it serves, named in errors).
    init(besides exportPath: String) throws {
        self.exportPath = exportPath
        file = try BufferedFileHandle(besides: exportPath, role: "spill")
        unlink(file.temporaryPath)
    }

    /// Appends `text`.
    func write(_ text: String) throws { try file.write(text) }

    /// Everything written, from the start, into `output`, a megabyte at a time.
    func copy(into output: BufferedOutput) throws {
        try file.flush()
        do {
            try file.handle.seek(toOffset: 0)
            while let chunk = try file.handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try output.write(bytes: chunk)
            }
        } catch let error as GraphStoreError {
            throw error
        } catch {
            throw GraphStoreError.exportFailed(path: exportPath, reason: "its scratch file could not be read back (\(error.localizedDescription))", underlying: error)
        }
    }
}
