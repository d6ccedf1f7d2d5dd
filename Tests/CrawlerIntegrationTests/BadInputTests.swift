import Foundation
import TestSupport
import Testing

/// Bad input gets a clear message and no stack trace, and loses nothing.
struct BadInputTests {
    @Test func missingSeedFileIsNamed() async throws {
        let run = try await CrawlerRun.run(["crawl", "/nonexistent/seeds.txt", "--db", try temporaryDirectory().appendingPathComponent("c.sqlite").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("seed list /nonexistent/seeds.txt does not exist"))
        #expect(!run.stderr.contains("Fatal error"))
    }

    @Test func unreadableSeedFileIsNamed() async throws {
        let directory = try temporaryDirectory()
        let run = try await CrawlerRun.run(["crawl", directory.path, "--db", directory.appendingPathComponent("c.sqlite").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("cannot be read"))
    }

    @Test func newerSchemaIsRefused() async throws {
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("c.sqlite").path
        let make = try await CrawlerRun.run(["crawl", "http://127.0.0.1:1/", "--db", database, "--retries", "0"])
        #expect(make.stderr.contains("nothing was crawled"), "\(make.stderr)")  // but the database was made
        let python = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 99'); c.commit()", database])
        try #require(python.status == 0, "\(python.standardError)")
        let run = try await CrawlerRun.run(["crawl", "--resume", "--db", database])
        #expect(run.status == 1)
        #expect(run.stderr.contains("newer"))
        let export = try await CrawlerRun.run(["export", "--db", database, "--format", "dot"])
        #expect(export.status == 1)
        #expect(export.stderr.contains("newer"))
    }

    @Test func unknownParseCorpusNamesTheCorporaItTakes() async throws {
        let run = try await CrawlerRun.run(["bench-parse", "--corpus", "mixed,nope", "--pages", "1"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("invalid for '--corpus <corpus>': 'nope' is not a valid value; pass mixed, docs or generated"), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
    }

    @Test func helpReadsWell() async throws {
        for command in [[], ["crawl"], ["serve"], ["export"], ["stats"], ["demo"], ["bench"], ["bench-parse"]] {
            let run = try await CrawlerRun.run(command + ["--help"])
            #expect(run.status == 0)
            #expect(run.stdout.contains("USAGE"))
            if !command.isEmpty { #expect(run.stdout.contains("Examples:")) }
        }
    }
}
