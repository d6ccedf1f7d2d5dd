import CrawlerSystem
import Foundation

extension GraphStore {
    /// Deletes the crawl database at `path` and its `-wal` and `-shm` files, to start over
    /// (`crawl --fresh`, the demo). Only a crawler database is deleted: nothing at the path, or
    /// an empty file, is left as is (a new crawl takes it over); a directory, a symbolic link,
    /// a device or FIFO, or any file that is not a crawler database is refused. Hold the
    /// database's `DatabaseLock` while calling this, or a running crawl loses its file.
    ///
    /// - Throws: `GraphStoreError.removalRefused`, naming what is at the path.
    public static func removeDatabase(at path: String) throws {
        switch PathKind.inspect(path) {
        case .missing:
            return
        case .regularFile(_, let size):
            if size == 0 { return }
            do {
                _ = try GraphStore(path: path, createIfMissing: false, options: .readOnly)
            } catch let error as GraphStoreError where error.code == .notACrawlerDatabase {
                throw GraphStoreError.removalRefused(path: path, reason: "it is not a crawler database")
            } catch let error as GraphStoreError where error.code == .newerSchema {
                throw GraphStoreError.removalRefused(path: path, reason: "it was written by a newer crawler")
            } catch {
                // Unreadable or damaged: only its header can vouch for it.
                guard Self.hasCrawlerHeader(path) else {
                    throw GraphStoreError.removalRefused(path: path, reason: "it cannot be read as a crawler database (\(error))", underlying: error)
                }
            }
        case let other:
            throw GraphStoreError.removalRefused(path: path, reason: "it is \(other.noun), not a crawler database file")
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = path + suffix
            switch PathKind.inspect(file) {
            case .missing: continue
            case .regularFile: break
            case let other: throw GraphStoreError.removalRefused(path: file, reason: "it is \(other.noun), not a file SQLite wrote")
            }
            do {
                try Posix.unlink(file)
            } catch where error.errno == ENOENT {
                continue  // gone in the meantime: nothing to delete
            } catch {
                throw GraphStoreError.removalRefused(path: file, reason: "it cannot be deleted (\(error.reason))", underlying: error)
            }
        }
    }

    /// Whether the file's SQLite header carries the crawler's `application_id` (bytes 68–71,
    /// big-endian), for a database SQLite itself refuses to open.
    private static func hasCrawlerHeader(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 72), header.count == 72,
              header.prefix(16) == Data("SQLite format 3\u{0}".utf8) else { return false }
        let id = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return id == UInt32(bitPattern: GraphSchema.applicationID)
    }
}
