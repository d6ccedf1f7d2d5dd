import Glibc

/// The files one `--warc` path stands for. A folder (an existing directory, or a path ending in
/// `/`) holds `crawl-00000.warc.gz`, `crawl-00001.warc.gz`, …; a file path `NAME.warc.gz` is the
/// first file and `NAME-00001.warc.gz`, … follow it when it reaches the size limit (as wget's
/// `--warc-max-size` numbers them).
public struct WARCFileSet: Sendable, Hashable {
    /// The folder the files are in.
    public let directory: String
    /// The first file's name.
    let firstName: String
    /// The stem of the numbered names (`crawl`, or `NAME` of `NAME.warc.gz`).
    let stem: String

    /// The set `path` names.
    public init(path: String) {
        var isDirectory = path.hasSuffix("/")
        var info = stat()
        if !isDirectory, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { isDirectory = true }
        if isDirectory {
            directory = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
            stem = "crawl"
            firstName = "crawl-00000.warc.gz"
        } else {
            let slash = path.lastIndex(of: "/")
            directory = slash.map { String(path[..<$0]) } ?? "."
            firstName = slash.map { String(path[path.index(after: $0)...]) } ?? path
            var stem = firstName
            for suffix in [".warc.gz", ".warc"] where stem.hasSuffix(suffix) {
                stem = String(stem.dropLast(suffix.count))
                break
            }
            self.stem = stem
        }
    }

    /// The path of file number `index` (0 is the first).
    public func path(_ index: Int) -> String {
        if index == 0 { return directory + "/" + firstName }
        let digits = String(index)
        return directory + "/" + stem + "-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".warc.gz"
    }

    /// The files of the set that exist, in order (numbering stops at the first gap).
    public func existingFiles() -> [String] {
        var files: [String] = []
        var info = stat()
        while stat(path(files.count), &info) == 0 { files.append(path(files.count)) }
        return files
    }
}
