/// Where an export may go: only a new file or an existing regular file is replaced, and never
/// the crawl database (or its WAL, shared-memory and lock files) however the path is spelled.
enum ExportDestination {
    /// Throws `GraphStoreError.exportRefused` unless writing `path` replaces nothing but an
    /// ordinary file that is not one of the database's files.
    static func check(_ path: String, database: String) throws {
        switch PathKind.inspect(path) {
        case .missing:
            return
        case .regularFile(let identity, _):
            let databaseFiles = [database, database + "-wal", database + "-shm", DatabaseLock.lockPath(forDatabase: database)]
            if let file = databaseFiles.first(where: { FileIdentity.of($0) == identity }) {
                throw GraphStoreError.exportRefused(path: path, reason: "it is the crawl database's file \(file); pass --output with another file name")
            }
        case let other:
            throw GraphStoreError.exportRefused(
                path: path, reason: "it is \(other.noun), and an export only ever replaces a regular file; pass --output with a file path")
        }
    }
}
