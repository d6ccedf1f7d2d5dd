import CrawlerSystem

#if canImport(Glibc)
import Glibc
#endif

/// What is at a path, seen with `lstat(2)` (a symbolic link is reported as one, never followed).
public enum PathKind: Sendable, Hashable {
    /// Nothing at the path.
    case missing
    /// A regular file: its identity and size.
    case regularFile(FileIdentity, size: Int64)
    /// A directory.
    case directory
    /// A symbolic link (where it points is not looked at).
    case symbolicLink
    /// A device, FIFO or socket, named in words for a message.
    case special(String)

    /// Inspects `path` without following a final symbolic link. Errors other than "no such
    /// file" (a permission problem on a parent folder) are reported as `.special`.
    public static func inspect(_ path: String) -> PathKind {
        let info: stat
        do {
            info = try Posix.lstat(path)
        } catch {
            return error.errno == ENOENT || error.errno == ENOTDIR ? .missing : .special("an unreadable path (\(error.reason))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile(FileIdentity(info), size: Int64(info.st_size))
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFIFO: return .special("a FIFO")
        case S_IFCHR, S_IFBLK: return .special("a device")
        case S_IFSOCK: return .special("a socket")
        default: return .special("not a regular file")
        }
    }

    /// "a directory", "a symbolic link", …: how a message names what is in the way.
    var noun: String {
        switch self {
        case .missing: "missing"
        case .regularFile: "a regular file"
        case .directory: "a directory"
        case .symbolicLink: "a symbolic link"
        case .special(let noun): noun
        }
    }
}

/// A file's device and inode: two paths name the same file exactly when these are equal
/// (hard links, `./x` against `x`, a symbolic link in a parent folder), which comparing path
/// strings cannot tell.
public struct FileIdentity: Sendable, Hashable {
    /// `st_dev`.
    public let device: UInt64
    /// `st_ino`.
    public let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The identity of the file `path` names, following symbolic links; nil when there is none.
    public static func of(_ path: String) -> FileIdentity? {
        guard let info = try? Posix.stat(path) else { return nil }
        return FileIdentity(info)
    }
}
