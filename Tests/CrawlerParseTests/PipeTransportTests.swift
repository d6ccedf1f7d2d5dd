import CrawlerCore
import CrawlerSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import CrawlerParse

/// Frames through a real pipe, as the process engine sends them: heads and bodies written by
/// `PendingWrites` (vmsplice, or writev), read back by `FrameDecoder.read` through a pipe far
/// smaller than a frame, so every write is partial and frames arrive in pieces.
@Suite struct PipeTransportTests {
    static func requests() -> [WorkerRequest] {
        var generator = SplitMix64(seed: 11)
        return (0..<40).map { index in
            let size = index % 7 == 0 ? 0 : Int(generator.next() % 90_000)
            let body = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            if index % 5 == 4 { return .echo(id: UInt32(index), body: body) }
            return .parse(id: UInt32(index), job: ParseJob(url: NormalizedURL("http://pipe.test/\(index)?q=\(size)")!, body: body))
        }
    }

    /// Writes every request with `PendingWrites` and reads them back, alternating as the two
    /// ends of a full pipe must; returns what was decoded.
    static func sendThroughPipe(_ requests: [WorkerRequest], splicing: Bool) throws -> (decoded: [WorkerRequest], splicing: Bool) {
        let pipe = try Posix.pipe()
        let ends = [pipe.read, pipe.write]
        defer { close(ends[0]); close(ends[1]) }
        _ = try? Posix.setPipeSize(ends[1], bytes: 4096)
        for end in ends { try Posix.setNonBlocking(end) }
        var output = PendingWrites(splicing: splicing)
        var heads: [[UInt8]] = []  // kept until read: vmsplice hands the pipe these bytes
        for request in requests {
            var writer = WireWriter()
            let body = writer.writeExceptBody(request)
            heads.append(writer.bytes)
            output.append(writer.bytes)
            output.append(body)
        }
        var decoder = FrameDecoder()
        var decoded: [WorkerRequest] = []
        var rounds = 0
        while decoded.count < requests.count {
            rounds += 1
            try #require(rounds < 1_000_000, "the frames never all arrived")
            // A full pipe (.wouldBlock) is expected; any other error throws and fails the test.
            _ = try output.write(to: ends[1])
            _ = try decoder.read(from: ends[0], maximum: 3000)
            while let payload = try decoder.nextPayload() { decoded.append(try WireReader.request(from: payload)) }
        }
        #expect(output.isEmpty)
        #expect(decoder.bufferedByteCount == 0)
        _ = heads
        return (decoded, output.splicing)
    }

    @Test(arguments: [true, false]) func framesSurviveAPipeInPieces(splicing: Bool) throws {
        let requests = Self.requests()
        let (decoded, stillSplicing) = try Self.sendThroughPipe(requests, splicing: splicing)
        #expect(decoded == requests)
        if !splicing { #expect(!stillSplicing) }
    }

    @Test func workersParseTheBodyWhereItLies() throws {
        let job = ParseJob(url: NormalizedURL("http://pipe.test/")!, body: Array("<title>T</title><a href=/a>a</a>".utf8))
        var writer = WireWriter()
        writer.write(WorkerRequest.parse(id: 9, job: job))
        var decoder = FrameDecoder()
        decoder.append(writer.bytes)
        let request = try WireReader.requestInPlace(from: try #require(try decoder.nextPayload()))
        let response = try ParseWorker.respond(to: request, extractor: LinkExtractor(), settings: ParseWorker.Settings())
        #expect(response == .parsed(id: 9, result: LinkExtractor().extract(job)))
    }

    @Test func answersWaitForTheirBatchOrTheDelay() throws {
        let pipe = try Posix.pipe()
        let ends = [pipe.read, pipe.write]
        defer { close(ends[0]); close(ends[1]) }
        var batch = AnswerBatch(size: 3, delay: .seconds(60))
        _ = batch.flush(to: ends[1])  // starts the delay now
        batch.add(.echoed(id: 1))
        batch.add(.echoed(id: 2))
        #expect(!batch.isDue)
        batch.add(.echoed(id: 3))
        #expect(batch.isDue)
        let flushed = batch.flush(to: ends[1])
        #expect(flushed)
        #expect(batch.count == 0)

        var prompt = AnswerBatch(size: 100, delay: .zero)
        prompt.add(.echoed(id: 4))
        #expect(prompt.isDue)
        let flushedAtOnce = prompt.flush(to: ends[1])
        #expect(flushedAtOnce)

        var decoder = FrameDecoder()
        let read = try decoder.read(from: ends[0])
        guard case .processed(let count) = read else {
            Issue.record("the flushed answers were not in the pipe")
            return
        }
        #expect(count > 0)
        var ids: [UInt32] = []
        while let payload = try decoder.nextPayload() { ids.append(try WireReader.response(from: payload).id) }
        #expect(ids == [1, 2, 3, 4])
    }
}
