import Foundation
import CrawlerCore
import GRDB
import TestSupport
import Testing
@testable import CrawlerGraph

@Suite struct SchemaTests {
    @Test func createsTheSchemaAndMarksTheFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("nested/dir/crawl.sqlite")
        let store = try GraphStore(path: path)
        for table in ["hosts", "urls", "runs", "pages", "links", "frontier"] {
            #expect(try store.count("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '\(table)'") == 1)
        }
        #expect(try store.count("PRAGMA user_version") == GraphSchema.currentVersion)
        #expect(try store.count("PRAGMA application_id") == Int(GraphSchema.applicationID))
        let journal = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    @Test func reopeningKeepsTheDataAndMigratesNothingTwice() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        do {
            let store = try GraphStore(path: path)
            try store.seed([url("http://a.test/")])
        }
        let store = try GraphStore(path: path)
        #expect(try store.frontierCounts() == FrontierCounts(queued: 1, inFlight: 0, done: 0))
        #expect(try store.count("SELECT count(*) FROM grdb_migrations") == GraphSchema.currentVersion)
    }

    /// A database written by a crawler of schema 1 gains the per-host frontier on first open,
    /// with every row's host filled in, and its queue is claimed per host as if new.
    @Test func aVersionOneDatabaseIsMigrated() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        try Self.writeVersionOneDatabase(path)
        let store = try GraphStore(path: path)
        #expect(try store.count("PRAGMA user_version") == GraphSchema.currentVersion)
        #expect(try store.count("SELECT count(*) FROM frontier WHERE host_id IS NULL") == 0)
        let claimed = try await store.claim(hosts: [:], discover: 5, perHost: 5)
        #expect(claimed.mapValues { $0.map(\.depth) } == ["a.test": [0], "b.test": [3]])
    }

    /// Two hosts with one queued URL each, as schema 1 stored them.
    static func writeVersionOneDatabase(_ path: String) throws {
        do {
            let pool = try DatabasePool(path: path)
            try GraphSchema.migrator.migrate(pool, upTo: "v1: hosts, urls, runs, pages, links, frontier")
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO hosts (id, name) VALUES (1, 'a.test'), (2, 'b.test');
                    INSERT INTO urls (id, url, host_id) VALUES (1, 'http://a.test/', 1), (2, 'http://b.test/', 2);
                    INSERT INTO frontier (url_id, depth, state) VALUES (1, 0, 0), (2, 3, 0);
                    PRAGMA application_id = \(GraphSchema.applicationID);
                    """)
            }
            try pool.close()
        }
    }

    @Test func refusesADatabaseFromANewerSchema() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        _ = try GraphStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = \(GraphSchema.currentVersion + 1)") }
        try queue.close()
        let error = try #require(throws: GraphStoreError.self) { try GraphStore(path: path) }
        #expect(error.code == .newerSchema)
        #expect(error.description == "database \(path) was written by a newer crawler (schema \(GraphSchema.currentVersion + 1), this build knows \(GraphSchema.currentVersion)); upgrade the crawler or use another --db")
    }

    @Test func refusesAFileThatIsNotACrawlerDatabase() throws {
        let directory = TemporaryDirectory()
        let text = directory.file("notes.txt")
        try Data("hello, this is not SQLite at all".utf8).write(to: URL(fileURLWithPath: text))
        let error = try #require(throws: GraphStoreError.self) { try GraphStore(path: text) }
        #expect(error.code == .notACrawlerDatabase)
        #expect(error.description.contains("not an SQLite database"))

        let other = directory.file("other.sqlite")
        let queue = try DatabaseQueue(path: other)
        try queue.write { db in try db.execute(sql: "CREATE TABLE recipes (name TEXT)") }
        try queue.close()
        let otherError = try #require(throws: GraphStoreError.self) { try GraphStore(path: other) }
        #expect(otherError.code == .notACrawlerDatabase)
    }

    @Test func aPathThatCannotBeCreatedSaysSo() throws {
        let directory = TemporaryDirectory()
        let blocker = directory.file("a-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/crawl.sqlite"
        let error = try #require(throws: GraphStoreError.self) { try GraphStore(path: path) }
        #expect(error.code == .cannotOpen)
        #expect(error.description == "cannot open or create the database \(path); check that its directory exists and is writable, or pass another --db")
    }

    @Test func aMissingDatabaseIsNotCreatedWhenReading() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("absent.sqlite")
        let error = try #require(throws: GraphStoreError.self) { try GraphStore(path: path, createIfMissing: false) }
        #expect(error.code == .missing)
        #expect(error.description.contains("run `crawler crawl --db \(path)` first"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
