import Foundation
import TestSupport
import Testing

/// Seeds as people write them, and what must never be stored.
@Suite struct SeedInputCommandTests {
    @Test func seedsFromStandardInputWithCRLFAndABOM() async throws {
        let database = try temporaryDirectory().appendingPathComponent("c.sqlite").path
        let input = Data("\u{FEFF}http://127.0.0.1:1/\r\nhttp://127.0.0.1:2/\r\n".utf8)
        let run = try await CrawlerRun.run(["crawl", "-", "--db", database, "--retries", "0"], input: input)
        // Both seeds were read (and tried: nothing listens on those ports).
        #expect(run.status == 1 && run.stderr.contains("none of the 2 seeds could be fetched"), "\(run.stderr)")
        #expect(!run.stderr.contains("skipped"), "\(run.stderr)")
        #expect(try storedPages(database) == 2)
    }

    @Test func credentialsInASeedAreRefusedAndNeverStored() async throws {
        let database = try temporaryDirectory().appendingPathComponent("c.sqlite").path
        let run = try await CrawlerRun.run(["crawl", "http://alice:hunter2@127.0.0.1:1/", "--db", database])
        #expect(run.status == 1)
        #expect(run.stderr.contains("user name or password"), "\(run.stderr)")
        #expect(!run.stderr.contains("hunter2") && !run.stdout.contains("hunter2"))
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
