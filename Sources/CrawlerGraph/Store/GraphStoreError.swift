import CrawlerSystem
import GRDB

/// Why the link-graph store could not do what was asked. `description` says what happened
/// and what to do about it, in words a user of the `crawler` command can act on; `underlying`
/// keeps what SQLite or the system said (a GRDB `DatabaseError`, a `SystemCallError`), for code
/// that needs more than the message.
public struct GraphStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, for code that reacts to one kind (tests, exit codes).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable short name.
        public let rawValue: String
        /// The database was written by a newer crawler (a schema version this build does not know).
        public static let newerSchema = Code(rawValue: "newer-schema")
        /// The file exists but is not a crawler database (another SQLite file, or not SQLite at all).
        public static let notACrawlerDatabase = Code(rawValue: "not-a-crawler-database")
        /// There is no database at the path and creating one was not asked for.
        public static let missing = Code(rawValue: "missing")
        /// The disk (or the database's size limit) is full; the last batch was rolled back.
        public static let diskFull = Code(rawValue: "disk-full")
        /// Another process holds the database's write lock.
        public static let locked = Code(rawValue: "locked")
        /// The database file cannot be opened or created (no such directory, no permission).
        public static let cannotOpen = Code(rawValue: "cannot-open")
        /// The database file or its directory is read-only.
        public static let readOnly = Code(rawValue: "read-only")
        /// SQLite found the file damaged.
        public static let corrupt = Code(rawValue: "corrupt")
        /// An export could not be written.
        public static let exportFailed = Code(rawValue: "export-failed")
        /// An export was not written because something other than a replaceable file is in the way.
        public static let exportRefused = Code(rawValue: "export-refused")
        /// Another crawl holds the database's single-writer lock.
        public static let inUse = Code(rawValue: "in-use")
        /// `--fresh` (or the demo) was asked to delete something that is not a crawler database.
        public static let removalRefused = Code(rawValue: "removal-refused")
        /// Any other SQLite failure.
        public static let sqlite = Code(rawValue: "sqlite")

        public var description: String { rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// The database (or export) file concerned.
    public let path: String
    /// Pages stored intact in the database when the failure happened, when known.
    public let pagesStored: Int?
    /// The full sentence shown to the user.
    public let message: String
    /// The error this one was made from, if any: GRDB's `DatabaseError` (with SQLite's result
    /// code, message and statement) or a `SystemCallError` (with the call and its errno).
    public let underlying: (any Error)?

    /// An error with its message, made from `underlying` if given.
    public init(code: Code, path: String, pagesStored: Int? = nil, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.pagesStored = pagesStored
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    /// SQLite's own error, when SQLite is what failed.
    public var databaseError: DatabaseError? { underlying as? DatabaseError }

    /// The system call that failed, when one is what failed (the lock file, an export).
    public var systemCallError: SystemCallError? { underlying as? SystemCallError }

    /// Two errors are equal when they say the same thing about the same file; the underlying
    /// error is not compared (it is the cause, not the error).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.path == rhs.path && lhs.pagesStored == rhs.pagesStored && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(path)
        hasher.combine(pagesStored)
        hasher.combine(message)
    }

    static func newerSchema(path: String, found: Int, underlying: (any Error)? = nil) -> Self {
        Self(code: .newerSchema, path: path, message: "database \(path) was written by a newer crawler (schema \(found), this build knows \(GraphSchema.currentVersion)); upgrade the crawler or use another --db", underlying: underlying)
    }

    static func notACrawlerDatabase(path: String, reason: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .notACrawlerDatabase, path: path, message: "\(path) is not a crawler database (\(reason)); pass another --db, or move the file away to start a new crawl", underlying: underlying)
    }

    static func missing(path: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .missing, path: path, message: "there is no crawl database at \(path); run `crawler crawl --db \(path)` first or pass another --db", underlying: underlying)
    }

    static func diskFull(path: String, pagesStored: Int?, underlying: (any Error)? = nil) -> Self {
        let stored = pagesStored.map { "\($0) pages" } ?? "the pages committed so far"
        return Self(code: .diskFull, path: path, pagesStored: pagesStored, message: "the disk is full; the crawl stopped with \(stored) stored intact in \(path); free space and run with --resume", underlying: underlying)
    }

    static func locked(path: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .locked, path: path, message: "database \(path) is in use by another crawler process; wait for it to finish or use another --db", underlying: underlying)
    }

    static func cannotOpen(path: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .cannotOpen, path: path, message: "cannot open or create the database \(path)\(systemReason(underlying)); check that its directory exists and is writable, or pass another --db", underlying: underlying)
    }

    /// The database's lock file (`DatabaseLock`) cannot be opened or created.
    static func cannotOpenLock(path: String, underlying: SystemCallError) -> Self {
        Self(code: .cannotOpen, path: path, message: "cannot open or create the lock file \(path)\(systemReason(underlying)); check that its directory exists and is writable, or pass another --db", underlying: underlying)
    }

    /// " (Permission denied)" when a system call is the cause: the words a user can act on.
    private static func systemReason(_ underlying: (any Error)?) -> String {
        (underlying as? SystemCallError).map { " (\($0.reason))" } ?? ""
    }

    static func readOnly(path: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .readOnly, path: path, message: "database \(path) is read-only; the crawler needs to write it (and its -wal and -shm files beside it): check the permissions, or copy it somewhere writable", underlying: underlying)
    }

    static func corrupt(path: String, reason: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .corrupt, path: path, message: "database \(path) is damaged (\(reason)); restore it from a copy, or start a new crawl with another --db", underlying: underlying)
    }

    static func exportFailed(path: String, reason: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .exportFailed, path: path, message: "could not write the export \(path): \(reason); check the directory exists and is writable", underlying: underlying)
    }

    static func exportRefused(path: String, reason: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .exportRefused, path: path, message: "refusing to write the export to \(path): \(reason)", underlying: underlying)
    }

    static func inUse(path: String, pid: Int32?, underlying: (any Error)? = nil) -> Self {
        let holder = pid.map { "crawler process \($0)" } ?? "another crawler process"
        return Self(code: .inUse, path: path, message: "database \(path) is being crawled by \(holder); wait for it to finish (or stop it), or pass another --db", underlying: underlying)
    }

    static func removalRefused(path: String, reason: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .removalRefused, path: path, message: "refusing to delete \(path): \(reason); move it away yourself, or pass another --db", underlying: underlying)
    }

    static func sqlite(path: String, reason: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .sqlite, path: path, message: "database \(path) failed: \(reason)", underlying: underlying)
    }
}
