@testable import CrawlerArchive
import CrawlerCore
import Foundation
import TestSupport
import Testing

/// The crawl's archive: encoding on many threads, one writer, and `add` returning only once a
/// page is in the file.
@Suite struct WARCArchiveTests {
    static func body(_ seed: Int, bytes: Int = 40_000) -> String {
        var generator = SeededGenerator(seed: UInt64(seed) + 1)
        return (0..<(bytes / 8)).map { _ in String(generator.next() % 100_000_000, radix: 36) }.joined(separator: " ")
    }

    /// When `add` returns, the page's records are in the file, so a store that commits the
    /// page afterwards never holds a page its archive lacks, however the crawl is killed.
    @Test func addReturnsOnceThePageIsInTheFile() async throws {
        let directory = try temporaryDirectory("warc").path
        let archive = try WARCArchive(fileSet: WARCFileSet(path: directory + "/a.warc.gz"), maxFileBytes: 1 << 30, info: WARCFileWriterTests.info, resume: false)
        for index in 0..<12 {
            #expect(await archive.add(ArchivedPage(exchanges: [WARCRecordTests.exchange("http://127.0.0.1/\(index)", body: Self.body(index))])))
            let responses = try WARCFileWriterTests.read(directory + "/a.warc.gz").filter { $0.type == .response }
            #expect(responses.count == index + 1, "page \(index) returned from add before its records were written")
        }
        let summary = try await archive.finish()
        #expect(summary.totals.pages == 12)
    }

    /// A page larger than the whole backlog budget goes alone instead of waiting for room that
    /// never comes, and pages queued behind it follow in turn (a budget of 10 KB here; 64 MB in
    /// a crawl, where one large response or a few together used to hang it).
    @Test(.timeLimit(.minutes(1)))
    func pagesLargerThanTheBacklogAreWrittenNotStuck() async throws {
        let directory = try temporaryDirectory("warc").path
        let archive = try WARCArchive(
            fileSet: WARCFileSet(path: directory + "/"), maxFileBytes: 1 << 30, info: WARCFileWriterTests.info, resume: false, backlogBytes: 10_000)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    #expect(await archive.add(ArchivedPage(exchanges: [WARCRecordTests.exchange("http://127.0.0.1/\(index)", body: Self.body(index, bytes: 30_000))])))
                }
            }
        }
        let summary = try await archive.finish()
        #expect(summary.totals.pages == 6)
        #expect(try WARCFileWriterTests.read(directory + "/crawl-00000.warc.gz").count { $0.type == .response } == 6)
    }

    /// Pages added at once from many tasks all reach the file, each page's records together;
    /// a revisit always refers to a response written before it, never one still in flight.
    @Test func concurrentPagesAreAllWrittenAndRevisitsReferBackwards() async throws {
        let directory = try temporaryDirectory("warc").path
        let archive = try WARCArchive(fileSet: WARCFileSet(path: directory + "/"), maxFileBytes: 1 << 30, info: WARCFileWriterTests.info, resume: false)
        let pages = 64, payloads = 8
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<pages {
                group.addTask {
                    let exchange = WARCRecordTests.exchange("http://127.0.0.1/\(index)", body: Self.body(index % payloads))
                    #expect(await archive.add(ArchivedPage(exchanges: [exchange], outlinks: [.init(target: "http://127.0.0.1/\(index + 1)", kind: "a")])))
                }
            }
        }
        let summary = try await archive.finish()
        let records = try WARCFileWriterTests.read(directory + "/crawl-00000.warc.gz")
        #expect(summary.totals.pages == pages)
        #expect(records.count { $0.type == .request } == pages)
        #expect(records.count { $0.type == .response || $0.type == .revisit } == pages)
        #expect(records.count { $0.type == .metadata } == pages)
        #expect(Set(records.compactMap { $0.type == .request ? $0.targetURI : nil }).count == pages, "every page once")
        #expect(records.count { $0.type == .response } >= payloads, "each payload's first copy is a response")
        var writtenResponses = Set<String>()
        for record in records {
            if record.type == .response, let id = record.id { writtenResponses.insert(id) }
            if record.type == .revisit {
                #expect(record["WARC-Refers-To"].map(writtenResponses.contains) == true, "a revisit refers to a response written before it")
            }
        }
        // A page's records are written together: response (or revisit), request, metadata.
        for (index, record) in records.enumerated() where record.type == .response || record.type == .revisit {
            #expect(records[index + 1].type == .request && records[index + 1]["WARC-Concurrent-To"] == record.id)
            #expect(records[index + 2].type == .metadata)
        }
        #expect(summary.cpuSeconds > 0)
    }
}

/// SplitMix64: the same bodies on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
