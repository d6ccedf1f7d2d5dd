import Foundation
import GRDB
import TestSupport
import Testing
@testable import CrawlerGraph

/// `stats` and `export` open read-only: they change nothing and refuse what is not a crawl.
@Suite struct ReadOnlyStoreTests {
    @Test func anEmptyFileIsRefusedAndStaysEmpty() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("empty.sqlite")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let error = try #require(throws: GraphStoreError.self) { try GraphStore(path: path, createIfMissing: false, options: .readOnly) }
        #expect(error.code == .notACrawlerDatabase)
        #expect(error.description.contains("empty"))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anotherApplicationsDatabaseIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("other.sqlite")
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE mine (x)") }
        let error = try #require(throws: GraphStoreError.self) { try GraphStore(path: path, createIfMissing: false, options: .readOnly) }
        #expect(error.code == .notACrawlerDatabase)
    }

    /// A reader writes nothing: it opens and reads while another connection holds the write lock
    /// (a writable open, which migrates and marks the file, waits for that lock and fails).
    @Test func aReaderWritesNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        do {
            let store = try GraphStore(path: path)
            try store.commit([page("http://a.test/", links: ["http://a.test/x"])])
        }
        let holder = try DatabaseQueue(path: path)
        try holder.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            var options = GraphStore.Options.readOnly
            options.busyTimeoutSeconds = 0.1
            let reader = try GraphStore(path: path, createIfMissing: false, options: options)
            #expect(try reader.pageCount() == 1)
            _ = try reader.stats(top: 3)
            var writable = GraphStore.Options()
            writable.busyTimeoutSeconds = 0.1
            #expect(throws: GraphStoreError.self) { try GraphStore(path: path, createIfMissing: false, options: writable) }
        }
    }
}
