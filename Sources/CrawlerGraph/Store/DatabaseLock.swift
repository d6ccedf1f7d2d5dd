import CrawlerSystem
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The single-writer lock of a crawl database: an exclusive `flock(2)` on `<db>.lock`, held for
/// a crawl's lifetime, so a second crawl, `--resume` or `--fresh` of the same database is
/// refused instead of interleaving with the first one.
///
/// A separate file, not the database: SQLite takes its own POSIX locks on the database file,
/// and a process that closes any descriptor of a file loses all its POSIX locks on it, so a
/// lock of ours on the database itself could break SQLite's (and the other way round).
/// `flock` locks belong to the open file description: the kernel drops the lock when the
/// process dies however it dies (SIGKILL included), so a stale lock file never blocks a
/// `--resume`. The file stays behind (deleting it would let two processes lock two different
/// files of the same name); it holds the pid of the last holder, shown in the refusal.
public final class DatabaseLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Mutex<Int32>

    /// The lock file of the database at `databasePath`.
    public static func lockPath(forDatabase databasePath: String) -> String { databasePath + ".lock" }

    /// Takes the lock of the database at `databasePath` (creating the lock file and its folder
    /// when missing), without waiting.
    ///
    /// - Throws: `GraphStoreError` `.inUse` (another process holds it; the message names its
    ///   pid), `.cannotOpen` (the lock file cannot be created).
    public init(databasePath: String) throws {
        path = Self.lockPath(forDatabase: databasePath)
        let directory = (databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        // O_NOFOLLOW: a symbolic link planted at the lock path is refused, not written through.
        let descriptor: Int32
        do {
            descriptor = try Posix.open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode: 0o644)
        } catch {
            throw GraphStoreError.cannotOpenLock(path: path, underlying: error)
        }
        do {
            try Posix.flock(descriptor, LOCK_EX | LOCK_NB)
        } catch {
            // EWOULDBLOCK: another process holds it. Any other error (ENOLCK: no locks left)
            // also means this crawl cannot be sure it is the only writer.
            let holder = Self.readPID(descriptor)
            close(descriptor)
            throw GraphStoreError.inUse(path: databasePath, pid: holder, underlying: error)
        }
        let line = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = Mutex(descriptor)
    }

    /// Gives the lock up (closing the file drops it); later calls do nothing.
    public func release() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { release() }

    /// Whether a crawler holds the lock of the database at `databasePath` now. Changes nothing:
    /// the lock file is opened read-only and not created (no file: nobody holds it), and a
    /// shared lock taken to test it is dropped at once.
    public static func isHeld(databasePath: String) -> Bool {
        guard let descriptor = try? Posix.open(lockPath(forDatabase: databasePath), flags: O_RDONLY | O_CLOEXEC | O_NOFOLLOW) else { return false }
        defer { close(descriptor) }
        do {
            try Posix.flock(descriptor, LOCK_SH | LOCK_NB)
            return false
        } catch {
            return error.errno == EWOULDBLOCK
        }
    }

    /// The pid the holder wrote, if it wrote one yet.
    private static func readPID(_ descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
