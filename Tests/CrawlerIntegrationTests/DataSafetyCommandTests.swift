import CrawlerGraph
import Foundation
import TestSupport
import Testing

/// Pages in the database, read the way `stats` reads it.
func storedPages(_ database: String) throws -> Int {
    try GraphStore(path: database, createIfMissing: false, options: .readOnly).pageCount()
}

/// The CLI never destroys what it did not create: exports, `--fresh` and the demo touch only
/// regular files the crawler wrote, and one crawl at a time writes a database.
@Suite struct DataSafetyCommandTests {
    /// A finished crawl of one unreachable seed (which fails: nothing was crawled): a real
    /// crawler database in a fresh folder.
    func crawledDatabase(named name: String = "crawl.sqlite") async throws -> (URL, String) {
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent(name).path
        let run = try await CrawlerRun.run(["crawl", "http://127.0.0.1:1/", "--db", database, "--retries", "0"])
        #expect(run.stderr.contains("nothing was crawled"), "\(run.stderr)")
        return (directory, database)
    }

    @Test func exportNeverReplacesADirectoryOrTheDatabase() async throws {
        let (directory, database) = try await crawledDatabase()
        let folder = directory.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let intoFolder = try await CrawlerRun.run(["export", "--db", database, "--format", "dot", "--output", folder.path])
        #expect(intoFolder.status == 1)
        #expect(intoFolder.stderr.contains("is a directory"), "\(intoFolder.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
        let overDatabase = try await CrawlerRun.run(["export", "--db", database, "--format", "dot", "--output", directory.path + "/./crawl.sqlite"])
        #expect(overDatabase.status == 1)
        #expect(overDatabase.stderr.contains("crawl database"), "\(overDatabase.stderr)")
        #expect(try storedPages(database) == 1)
    }

    /// A database named like its default export (crawl.dot → crawl.dot) is not overwritten.
    @Test func theDefaultOutputNeverReplacesTheDatabase() async throws {
        let (_, database) = try await crawledDatabase(named: "crawl.dot")
        let run = try await CrawlerRun.run(["export", "--db", database, "--format", "dot"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("crawl database"), "\(run.stderr)")
        #expect(try storedPages(database) == 1)
    }

    @Test func freshDeletesOnlyACrawlerDatabase() async throws {
        let directory = try temporaryDirectory()
        let notes = directory.appendingPathComponent("notes.txt")
        try Data("my notes".utf8).write(to: notes)
        for target in [directory.path, notes.path] {
            let run = try await CrawlerRun.run(["crawl", "--fresh", "http://127.0.0.1:1/", "--db", target, "--retries", "0"])
            #expect(run.status == 1, "\(target)")
            #expect(run.stderr.contains("refusing to delete \(target)"), "\(run.stderr)")
        }
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes")
        let (_, database) = try await crawledDatabase()
        let again = try await CrawlerRun.run(["crawl", "--fresh", "http://127.0.0.1:2/", "--db", database, "--retries", "0"])
        #expect(again.stderr.contains("nothing was crawled"), "\(again.stderr)")  // it crawled, fresh
        #expect(try GraphStore(path: database, createIfMissing: false, options: .readOnly).storedPages().map(\.url) == ["http://127.0.0.1:2/"])
    }

    /// Two processes: this test holds the lock, the crawler is refused and names this process.
    @Test func aSecondWriterIsRefusedAndTheHolderNamed() async throws {
        let (_, database) = try await crawledDatabase()
        let lock = try DatabaseLock(databasePath: database)
        for arguments in [["crawl", "--resume", "--db", database], ["crawl", "--fresh", "http://127.0.0.1:2/", "--db", database]] {
            let run = try await CrawlerRun.run(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains("is being crawled by crawler process \(getpid())"), "\(run.stderr)")
        }
        #expect(try storedPages(database) == 1, "--fresh deleted a database another process holds")
        lock.release()
        let resumed = try await CrawlerRun.run(["crawl", "--resume", "--db", database])
        // It ran (its one seed still unreachable, so nothing was crawled), not refused by the lock.
        #expect(resumed.stderr.contains("nothing was crawled") && !resumed.stderr.contains("is being crawled"), "\(resumed.stderr)")
    }

    @Test func readersRefuseAnEmptyOrForeignFileAndLeaveItAlone() async throws {
        let directory = try temporaryDirectory()
        let empty = directory.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let text = directory.appendingPathComponent("notes.txt").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        for (path, size) in [(empty, 0), (text, 5)] {
            for arguments in [["stats", "--db", path], ["export", "--db", path, "--format", "dot", "--output", directory.appendingPathComponent("x.dot").path]] {
                let run = try await CrawlerRun.run(arguments)
                #expect(run.status == 1, "\(arguments)")
                #expect(run.stderr.contains("is not a crawler database"), "\(run.stderr)")
                #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == size)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: empty + "-wal"))
    }
}
