import CrawlerSystem
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CrawlerGraph

/// A `GraphStoreError` keeps what SQLite or the system said, under a message a user can act on.
@Suite struct GraphStoreErrorCauseTests {
    @Test func sqliteErrorsKeepGRDBsDatabaseError() throws {
        let full = DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full")
        let error = try #require(GraphStore.storeError(full, path: "crawl.db", pagesStored: 12) as? GraphStoreError)
        #expect(error.code == .diskFull)
        #expect(error.pagesStored == 12)
        #expect(error.databaseError?.resultCode == .SQLITE_FULL)
        #expect(error.databaseError?.message == "database or disk is full")
        #expect(error.message.contains("12 pages stored intact in crawl.db"))

        let other = DatabaseError(resultCode: .SQLITE_IOERR, message: "disk I/O error")
        let io = try #require(GraphStore.storeError(other, path: "crawl.db", pagesStored: nil) as? GraphStoreError)
        #expect(io.code == .sqlite)
        #expect(io.databaseError?.resultCode == .SQLITE_IOERR)
        #expect(io.message == "database crawl.db failed: disk I/O error")
    }

    @Test func aLockFileThatCannotBeCreatedSaysWhyAndKeepsTheCall() throws {
        let directory = TemporaryDirectory()
        let blocker = directory.file("not-a-folder")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let error = try #require(throws: GraphStoreError.self) { try DatabaseLock(databasePath: blocker + "/crawl.db") }
        #expect(error.code == .cannotOpen)
        #expect(error.systemCallError == SystemCallError(call: "open", errno: ENOTDIR))
        #expect(error.message == "cannot open or create the lock file \(blocker)/crawl.db.lock (Not a directory); check that its directory exists and is writable, or pass another --db")
    }

    @Test func theCauseDoesNotChangeEquality() {
        let plain = GraphStoreError.locked(path: "crawl.db")
        let caused = GraphStoreError.locked(path: "crawl.db", underlying: DatabaseError(resultCode: .SQLITE_BUSY))
        #expect(plain == caused)
        #expect(plain.hashValue == caused.hashValue)
        #expect(caused.databaseError?.resultCode == .SQLITE_BUSY)
        #expect(plain.underlying == nil)
    }
}
