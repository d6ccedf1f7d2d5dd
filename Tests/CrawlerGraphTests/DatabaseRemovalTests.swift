import Foundation
import GRDB
import TestSupport
import Testing
@testable import CrawlerGraph

/// `--fresh` and the demo delete only a crawler database (and its WAL files).
@Suite struct DatabaseRemovalTests {
    @Test func onlyACrawlerDatabaseIsDeleted() throws {
        let directory = TemporaryDirectory()
        let folder = directory.file("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = directory.file("notes.txt")
        try "my notes".write(toFile: text, atomically: true, encoding: .utf8)
        let foreign = directory.file("other.sqlite")
        try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE mine (x)") }
        let link = directory.file("link.sqlite")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: text)
        for path in [folder, text, foreign, link] {
            let error = try #require(throws: GraphStoreError.self) { try GraphStore.removeDatabase(at: path) }
            #expect(error.code == .removalRefused, "\(path)")
            #expect(PathKind.inspect(path) != .missing, "\(path) was deleted")
        }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "my notes")
    }

    @Test func aCrawlerDatabaseGoesWithItsWALFiles() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("crawl.sqlite")
        do {
            let store = try GraphStore(path: path)
            try store.commit([page("http://a.test/", links: [])])
        }
        _ = FileManager.default.createFile(atPath: path + "-wal", contents: Data())
        try GraphStore.removeDatabase(at: path)
        for suffix in ["", "-wal", "-shm"] { #expect(PathKind.inspect(path + suffix) == .missing, "\(suffix)") }
        let empty = directory.file("empty.sqlite")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        try GraphStore.removeDatabase(at: empty)  // nothing to delete: a new crawl takes an empty file over
        try GraphStore.removeDatabase(at: directory.file("absent.sqlite"))
    }
}
