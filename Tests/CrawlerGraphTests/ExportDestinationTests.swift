import Foundation
import TestSupport
import Testing
@testable import CrawlerGraph

/// Exports replace only a regular file, never the database, and appear whole (rename).
@Suite struct ExportDestinationTests {
    func crawled() throws -> (TemporaryDirectory, GraphStore) {
        let directory = TemporaryDirectory()
        let store = try GraphStore(path: directory.file("crawl.sqlite"))
        try store.commit([page("http://a.test/", title: "=HYPERLINK(\"http://evil.test\")", links: ["http://a.test/x"])])
        return (directory, store)
    }

    @Test func aDirectoryIsRefusedAndKeptWhole() throws {
        let (directory, store) = try crawled()
        let target = directory.file("exports")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try "keep me".write(toFile: target + "/notes.txt", atomically: true, encoding: .utf8)
        let error = try #require(throws: GraphStoreError.self) { try store.export(format: .dot, level: .page, to: target) }
        #expect(error.code == .exportRefused)
        #expect(error.description.contains("is a directory"))
        #expect(try String(contentsOfFile: target + "/notes.txt", encoding: .utf8) == "keep me")
    }

    @Test func aSymbolicLinkAndAFIFOAreRefusedAndKept() throws {
        let (directory, store) = try crawled()
        let victim = directory.file("victim.txt")
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        let link = directory.file("link.graphml")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        let fifo = directory.file("fifo.graphml")
        #expect(mkfifo(fifo, 0o644) == 0)
        for target in [link, fifo] {
            let error = try #require(throws: GraphStoreError.self) { try store.export(format: .graphml, level: .page, to: target) }
            #expect(error.code == .exportRefused, "\(target)")
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(PathKind.inspect(link) == .symbolicLink)
        #expect(PathKind.inspect(fifo) == .special("a FIFO"))
    }

    /// However the path is spelled (another string, a hard link), the database is never the output.
    @Test func theDatabaseIsNeverOverwritten() throws {
        let (directory, store) = try crawled()
        let hardLink = directory.file("hard.dot")
        #expect(link(store.path, hardLink) == 0)
        for target in [directory.path + "/./crawl.sqlite", hardLink, store.path + "-wal"] {
            let error = try #require(throws: GraphStoreError.self) { try store.export(format: .dot, level: .page, to: target) }
            #expect(error.code == .exportRefused, "\(target)")
            #expect(error.description.contains("crawl database"))
        }
        #expect(try GraphStore(path: store.path, createIfMissing: false, options: .readOnly).pageCount() == 1)
    }

    /// An existing regular file is replaced whole (by rename), with no temporary file left behind.
    @Test func aRegularFileIsReplacedAtomically() throws {
        let (directory, store) = try crawled()
        let target = directory.file("graph.dot")
        try "old".write(toFile: target, atomically: true, encoding: .utf8)
        let before = try #require(FileIdentity.of(target))
        try store.export(format: .dot, level: .page, to: target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("digraph"))
        #expect(FileIdentity.of(target) != before, "a new file renamed into place, not the old one rewritten")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!names.contains { $0.contains("partial") }, "\(names)")
    }
}
