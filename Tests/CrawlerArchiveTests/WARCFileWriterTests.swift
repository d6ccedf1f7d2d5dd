@testable import CrawlerArchive
import CrawlerCore
import Foundation
import TestSupport
import Testing

/// Writing, rotating, reading back and repairing archive files.
@Suite struct WARCFileWriterTests {
    static let info = [WARCField("software", "tests")]

    /// Per page: response then request, a metadata record for its outlinks; a payload seen
    /// before becomes a revisit that points at the first response.
    @Test func writesAndReadsBackEveryRecord() throws {
        let directory = try temporaryDirectory("warc").path
        let writer = try WARCFileWriter(fileSet: WARCFileSet(path: directory + "/"), maxFileBytes: 1 << 30, info: Self.info, resume: false)
        let first = WARCRecordTests.exchange("http://127.0.0.1/a", body: "same body")
        try writer.write(ArchivedPage(exchanges: [first], outlinks: [.init(target: "http://127.0.0.1/b", kind: "a")]))
        try writer.write(ArchivedPage(exchanges: [WARCRecordTests.exchange("http://127.0.0.1/b", body: "same body")]))
        try writer.write(ArchivedPage(exchanges: [WARCRecordTests.exchange("http://127.0.0.1/c", body: "other body")]))
        try writer.close()

        let records = try Self.read(directory + "/crawl-00000.warc.gz")
        #expect(records.map(\.type) == [.warcinfo, .response, .request, .metadata, .revisit, .request, .response, .request])
        let response = records[1], revisit = records[4]
        #expect(response.httpPayload.map(Array.init) == Array("same body".utf8))
        #expect(response["WARC-Block-Digest"] == WARCDigest.sha1(response.block))
        #expect(records[2]["WARC-Concurrent-To"] == response.id)
        #expect(records.allSatisfy { $0.type == .warcinfo || $0["WARC-Warcinfo-ID"] == records[0].id })
        #expect(String(decoding: records[3].block, as: UTF8.self) == "outlink: http://127.0.0.1/b a\r\n")
        #expect(revisit.targetURI == "http://127.0.0.1/b")
        #expect(revisit["WARC-Refers-To"] == response.id)
        #expect(revisit["WARC-Refers-To-Target-URI"] == "http://127.0.0.1/a")
        #expect(revisit["WARC-Payload-Digest"] == response["WARC-Payload-Digest"])
        #expect(revisit.httpPayload?.isEmpty == true)
        #expect(writer.totals.records[.response] == 2 && writer.totals.records[.revisit] == 1 && writer.totals.pages == 3)
    }

    /// Past the size limit a new file starts, with its own warcinfo; every file reads alone.
    @Test func rotatesPastTheSizeLimit() throws {
        let directory = try temporaryDirectory("warc").path
        let writer = try WARCFileWriter(fileSet: WARCFileSet(path: directory + "/crawl.warc.gz"), maxFileBytes: 2_000, info: Self.info, resume: false)
        for index in 0..<12 {
            let body = (0..<200).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 36) }.joined(separator: " ")
            try writer.write(ArchivedPage(exchanges: [WARCRecordTests.exchange("http://127.0.0.1/\(index)", body: body)]))
        }
        try writer.close()
        let files = WARCFileSet(path: directory + "/crawl.warc.gz").existingFiles()
        #expect(files.count > 2)
        #expect(files.first == directory + "/crawl.warc.gz" && files[1] == directory + "/crawl-00001.warc.gz")
        var responses = 0
        for file in files {
            let records = try Self.read(file)
            #expect(records.first?.type == .warcinfo, "\(file)")
            #expect(records.first?["WARC-Filename"] == String(file.split(separator: "/").last!))
            responses += records.count { $0.type == .response }
        }
        #expect(responses == 12)
    }

    /// A new crawl never writes over an archive that is there: the file is left as it was.
    @Test func refusesAnExistingArchiveWithoutResume() throws {
        let directory = try temporaryDirectory("warc").path
        let path = directory + "/mine.warc.gz"
        try Data("not ours".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: WARCError.self) {
            _ = try WARCFileWriter(fileSet: WARCFileSet(path: path), maxFileBytes: 1 << 30, info: Self.info, resume: false)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("not ours".utf8))
    }

    /// A record cut short at the end of the last file (a crash mid-write) makes the reader stop
    /// with `truncated`; resuming cuts it off, appends after the whole records, and writes a
    /// payload archived before the cut as a revisit.
    @Test func resumeCutsAnUnfinishedRecordAndAppends() throws {
        let directory = try temporaryDirectory("warc").path
        let path = directory + "/crawl.warc.gz"
        let writer = try WARCFileWriter(fileSet: WARCFileSet(path: path), maxFileBytes: 1 << 30, info: Self.info, resume: false)
        try writer.write(ArchivedPage(exchanges: [WARCRecordTests.exchange("http://127.0.0.1/a", body: "page a")]))
        try writer.close()
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        // The first half of a gzip member (the file's own start: its warcinfo record), as a
        // write cut midway leaves it.
        let cut = whole.prefix(40)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: cut)
        try handle.close()
        #expect(throws: WARCError.self) { _ = try Self.read(path) }

        let resumed = try WARCFileWriter(fileSet: WARCFileSet(path: path), maxFileBytes: 1 << 30, info: Self.info, resume: true)
        #expect(resumed.totals.repairedBytes == cut.count)
        try resumed.write(ArchivedPage(exchanges: [WARCRecordTests.exchange("http://127.0.0.1/a", body: "page a")]))
        try resumed.write(ArchivedPage(exchanges: [WARCRecordTests.exchange("http://127.0.0.1/b", body: "page b")]))
        try resumed.close()
        let records = try Self.read(path)
        #expect(records.map(\.type) == [.warcinfo, .response, .request, .warcinfo, .revisit, .request, .response, .request])
        #expect(records[4]["WARC-Refers-To"] == records[1].id)
    }

    /// A WARC without compression reads too (other tools write them).
    @Test func readsUncompressedFiles() throws {
        let directory = try temporaryDirectory("warc").path
        let path = directory + "/plain.warc"
        let exchange = WARCRecordTests.exchange("http://127.0.0.1/a", body: "plain")
        let records = [
            WARCRecord.warcinfo(filename: "plain.warc", id: WARCRecordID.make(), date: 0, info: Self.info),
            WARCRecord.response(exchange, id: WARCRecordID.make(), payloadDigest: WARCDigest.sha1(exchange.payload), warcinfoID: "<urn:uuid:x>"),
        ]
        try Data(records.flatMap { $0.serialized() }).write(to: URL(fileURLWithPath: path))
        #expect(try Self.read(path) == records)
    }

    static func read(_ path: String) throws -> [WARCRecord] {
        let reader = try WARCReader(path: path)
        var records: [WARCRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }
}
