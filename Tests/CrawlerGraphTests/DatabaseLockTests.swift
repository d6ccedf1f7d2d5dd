import Foundation
import TestSupport
import Testing
@testable import CrawlerGraph

/// One crawl at a time writes a database.
@Suite struct DatabaseLockTests {
    /// Two opens of the lock (two open file descriptions: flock treats them as two owners, as it
    /// does two processes): the second is refused and names the holder's pid.
    @Test func aSecondWriterIsRefusedUntilTheFirstLetsGo() throws {
        let directory = TemporaryDirectory()
        let database = directory.file("crawl.sqlite")
        let first = try DatabaseLock(databasePath: database)
        let error = try #require(throws: GraphStoreError.self) { try DatabaseLock(databasePath: database) }
        #expect(error.code == .inUse)
        #expect(error.description.contains("crawler process \(getpid())"), "\(error)")
        first.release()
        let second = try DatabaseLock(databasePath: database)
        second.release()
    }

    /// The lock is on its own file: SQLite's locks on the database are untouched by it.
    @Test func theLockLeavesSQLiteWorking() throws {
        let directory = TemporaryDirectory()
        let database = directory.file("crawl.sqlite")
        let lock = try DatabaseLock(databasePath: database)
        defer { lock.release() }
        let store = try GraphStore(path: database)
        try store.commit([page("http://a.test/", links: [])])
        #expect(try GraphStore(path: database, createIfMissing: false, options: .readOnly).pageCount() == 1)
    }
}
