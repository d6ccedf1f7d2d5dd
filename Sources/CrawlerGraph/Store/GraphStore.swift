import Foundation
import GRDB
import Synchronization

/// The link-graph store: one SQLite file (WAL mode) holding the crawl's pages, links, hosts,
/// runs and frontier, so a crawl killed at any instant resumes from the file.
///
/// One writer: every change goes through GRDB's serialized writer connection, in one
/// transaction per call, so a batch is stored whole or not at all. Readers (exports, stats)
/// use their own connections and see a consistent snapshot while a crawl writes.
///
/// Durability: `synchronous = NORMAL` in WAL mode, so a committed batch survives the process
/// being killed (SIGKILL); after a power loss the last batches may be lost but the file stays
/// consistent.
///
/// ```swift
/// let store = try GraphStore(path: "output/crawl.sqlite")
/// let run = try store.beginRun(settings: options, fetchModel: .async, parseModel: .processes)
/// try store.seed(seeds)
/// while case let batch = try store.claim(limit: 64), !batch.isEmpty {
///     let records = await fetchAndParse(batch)          // the pipeline's work
///     try store.commit(records, run: run)               // pages + links + new frontier rows, one transaction
/// }
/// try store.endRun(run, outcome: .completed)
/// // after a crash: let store = try GraphStore(path: …); try store.resume(); then claim as above
/// ```
public final class GraphStore: Sendable {
    /// Tuning of the store; the defaults suit a crawl.
    public struct Options: Sendable, Hashable {
        /// URL ids kept in memory to skip a lookup for URLs met again; the cache is emptied when full.
        public var urlCacheCapacity: Int = 20_000
        /// Seconds to wait for another process's lock before giving up.
        public var busyTimeoutSeconds: Double = 5
        /// Open for reading only (SQLite's read-only mode): nothing is created, migrated or
        /// written, so `stats` and `export` work on a database they may not write, and a file that
        /// is not a crawler database (an empty one included) is refused instead of turned into one.
        public var readOnly = false
        /// Test hook: `PRAGMA max_page_count`, to make a small "disk" that fills up.
        var maximumPageCount: Int?

        /// The defaults.
        public init() {}

        /// The defaults, read-only: what `stats` and `export` open.
        public static var readOnly: Options {
            var options = Options()
            options.readOnly = true
            return options
        }
    }

    /// The database file.
    public let path: String
    let pool: DatabasePool
    let caches: Mutex<WriterCaches>

    /// Opens the database at `path`, creating it (and its directory) when `createIfMissing`,
    /// and migrating it to the current schema.
    ///
    /// - Throws: `GraphStoreError` `.missing` (no file and `createIfMissing` false),
    ///   `.notACrawlerDatabase`, `.newerSchema` (written by a newer crawler), `.locked`, `.sqlite`.
    public init(path: String, createIfMissing: Bool = true, options: Options = Options()) throws {
        self.path = path
        caches = Mutex(WriterCaches(urlCapacity: options.urlCacheCapacity))
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: path) {
            try Self.checkSQLiteHeader(path: path, allowEmpty: !options.readOnly)
        } else {
            guard createIfMissing, !options.readOnly else { throw GraphStoreError.missing(path: path) }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try? fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(options.busyTimeoutSeconds)
        configuration.label = "GraphStore"
        configuration.readonly = options.readOnly
        let maximumPageCount = options.maximumPageCount
        configuration.prepareDatabase { db in
            // WAL (set by DatabasePool) + NORMAL: committed transactions survive a process kill.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 8 MB of page cache per connection (SQLite's default is 2 MB): the hot part of the url
            // and frontier indexes stays in memory, and the cache is full within the first few
            // thousand pages, so memory is flat for the rest of a crawl.
            try db.execute(sql: "PRAGMA cache_size = -8192")
            if let maximumPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maximumPageCount)") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.checkIdentity(pool, path: path, readOnly: options.readOnly)
            if !options.readOnly {
                try GraphSchema.migrator.migrate(pool)
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA application_id = \(GraphSchema.applicationID)")
                }
            }
        } catch let error as GraphStoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw GraphStoreError.notACrawlerDatabase(path: path, reason: "not an SQLite database", underlying: error)
        } catch {
            throw Self.storeError(error, path: path, pagesStored: nil)
        }
    }

    /// Refuses a file that is not SQLite before SQLite gets to touch it.
    private static func checkSQLiteHeader(path: String, allowEmpty: Bool) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GraphStoreError.sqlite(path: path, reason: "the file cannot be read; check its permissions")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty {
            // An empty file becomes a new database when a crawl writes it; a reader leaves it alone.
            if allowEmpty { return }
            throw GraphStoreError.notACrawlerDatabase(path: path, reason: "the file is empty")
        }
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw GraphStoreError.notACrawlerDatabase(path: path, reason: "not an SQLite database")
        }
    }

    /// Refuses another application's database and one from a newer schema; read-only, also a
    /// database with no crawl in it (nothing could create one).
    private static func checkIdentity(_ pool: DatabasePool, path: String, readOnly: Bool) throws {
        try pool.read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if applicationID == GraphSchema.applicationID {
                if version > GraphSchema.currentVersion { throw GraphStoreError.newerSchema(path: path, found: version) }
                return
            }
            if applicationID != 0 {
                throw GraphStoreError.notACrawlerDatabase(path: path, reason: "it belongs to another application")
            }
            let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%'"))
            // A crawl killed between the schema's transaction and the application_id write.
            if GraphSchema.tableNames.isSubset(of: tables), version <= GraphSchema.currentVersion { return }
            if !tables.isEmpty {
                throw GraphStoreError.notACrawlerDatabase(path: path, reason: "it holds tables of another application")
            }
            if readOnly { throw GraphStoreError.notACrawlerDatabase(path: path, reason: "it holds no crawl") }
        }
    }

    /// Runs `body` in one write transaction. On failure the transaction is rolled back, the
    /// writer's caches (which may name rolled-back rows) are emptied, and SQLite's error becomes
    /// a `GraphStoreError` a user can act on.
    func write<T: Sendable>(_ body: (Database, inout WriterCaches) throws -> T) throws -> T {
        do {
            return try pool.write { db in
                try caches.withLock { caches in try body(db, &caches) }
            }
        } catch {
            caches.withLock { $0.removeAll() }
            throw Self.storeError(error, path: path, pagesStored: try? pageCount())
        }
    }

    /// The same as the synchronous `write`, for async callers: the transaction runs on GRDB's
    /// writer queue while the calling task is suspended, so no cooperative thread is blocked.
    ///
    /// Cancellation does not abandon it: GRDB's own async `write` throws `CancellationError` in
    /// a cancelled task, but finished pages must still be stored while a crawl stops (Ctrl-C),
    /// so this goes through GRDB's callback API, which always runs the transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database, inout WriterCaches) throws -> T) async throws -> T {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                pool.asyncWrite({ db in
                    try self.caches.withLock { caches in try body(db, &caches) }
                }, completion: { _, result in
                    continuation.resume(with: result)
                })
            }
        } catch {
            caches.withLock { $0.removeAll() }
            throw Self.storeError(error, path: path, pagesStored: try? pageCount())
        }
    }

    /// Runs `body` on a reader connection, mapping SQLite's errors.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.storeError(error, path: path, pagesStored: nil)
        }
    }

    static func storeError(_ error: any Error, path: String, pagesStored: Int?) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_FULL: return GraphStoreError.diskFull(path: path, pagesStored: pagesStored, underlying: error)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return GraphStoreError.locked(path: path, underlying: error)
        case .SQLITE_NOTADB: return GraphStoreError.notACrawlerDatabase(path: path, reason: "not an SQLite database", underlying: error)
        case .SQLITE_CANTOPEN: return GraphStoreError.cannotOpen(path: path, underlying: error)
        case .SQLITE_READONLY: return GraphStoreError.readOnly(path: path, underlying: error)
        case .SQLITE_CORRUPT: return GraphStoreError.corrupt(path: path, reason: error.message ?? "corrupt", underlying: error)
        default: return GraphStoreError.sqlite(path: path, reason: error.message ?? "\(error.resultCode)", underlying: error)
        }
    }

    /// Pages stored so far.
    public func pageCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pages") ?? 0 }
    }

    /// Folds the write-ahead log into the main file, so the `.sqlite` file alone holds the
    /// whole crawl (to copy it, or before an export is shipped). Safe at any time.
    public func checkpoint() throws {
        do {
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch {
            throw Self.storeError(error, path: path, pagesStored: nil)
        }
    }
}
