import CrawlerCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import CrawlerParse

/// The shared ring that carries page bodies to a worker: space is handed out first in, first
/// out, never overlaps a body in flight, and what the worker's read-only mapping shows is what
/// the parent stored.
@Suite struct BodyRingTests {
    /// The worker's view of `ring`, through a second descriptor as a worker would have it.
    static func workerView(of ring: BodyRing) throws -> SharedBodies {
        let descriptor = dup(ring.descriptor)
        try #require(descriptor >= 0)
        return try SharedBodies(descriptor: descriptor)
    }

    static func body(_ count: Int, fill: UInt8) -> [UInt8] { [UInt8](repeating: fill, count: count) }

    @Test func bodiesGoInOrderAndWrapWhenTheOldestIsFreed() throws {
        let ring = try BodyRing(capacity: 1000)
        let first = try #require(ring.store(Self.body(400, fill: 1)))
        let second = try #require(ring.store(Self.body(400, fill: 2)))
        #expect(first == 0..<400)
        #expect(second == 448..<848)  // the next cache line
        #expect(ring.store(Self.body(300, fill: 3)) == nil, "104 bytes after the second body's line, none before the first")
        ring.releaseOldest()
        let third = try #require(ring.store(Self.body(300, fill: 3)))
        #expect(third == 0..<300, "wraps to the start, freed by the first body")
        #expect(ring.store(Self.body(200, fill: 4)) == nil, "the second body still lies at 448")
        let fourth = try #require(ring.store(Self.body(100, fill: 4)))
        #expect(fourth == 320..<420)
        #expect(ring.count == 3)
        ring.releaseOldest()
        ring.releaseOldest()
        ring.releaseOldest()
        #expect(ring.count == 0)
        #expect(ring.store(Self.body(1000, fill: 5)) == 0..<1000, "an empty ring takes a body of its whole size")
    }

    @Test func emptyAndOversizedBodiesStayOut() throws {
        let ring = try BodyRing(capacity: 4096)
        #expect(ring.store([]) == nil)
        #expect(ring.store(Self.body(4097, fill: 1)) == nil)
        #expect(ring.count == 0)
        ring.reset()
        #expect(ring.store(Self.body(4096, fill: 1)) == 0..<4096)
        ring.reset()
        #expect(ring.count == 0)
        #expect(ring.store(Self.body(10, fill: 2)) == 0..<10)
    }

    /// Random stores and in-order releases against a model: no two bodies in flight ever
    /// overlap, each lies inside the ring, a store is refused only when no free run is big
    /// enough, and the worker's view shows every body in flight intact.
    @Test(arguments: [(1, 65_536), (2, 65_500), (3, 1_000)])
    func randomTrafficNeverOverwritesABodyInFlight(seed: UInt64, capacity: Int) throws {
        let ring = try BodyRing(capacity: capacity)
        let view = try Self.workerView(of: ring)
        var generator = SplitMix64(seed: seed)
        var inFlight: [(extent: Range<Int>, fill: UInt8)] = []
        var stored = 0
        var refused = 0
        for step in 0..<3_000 {
            if !inFlight.isEmpty, generator.next() % 3 == 0 {
                ring.releaseOldest()
                inFlight.removeFirst()
            } else {
                let size = 1 + Int(generator.next() % UInt64(capacity / 4))
                let fill = UInt8(truncatingIfNeeded: step)
                if let extent = ring.store(Self.body(size, fill: fill)) {
                    #expect(extent.count == size)
                    #expect(extent.lowerBound >= 0 && extent.upperBound <= capacity)
                    #expect(extent.lowerBound % BodyRing.alignment == 0)
                    for other in inFlight { #expect(!other.extent.overlaps(extent), "step \(step): \(extent) overlaps \(other.extent)") }
                    inFlight.append((extent, fill))
                    stored += 1
                } else {
                    #expect(!Self.fits(size, after: inFlight.map(\.extent), capacity: capacity), "step \(step): \(size) bytes refused with room")
                    refused += 1
                }
            }
            #expect(ring.count == inFlight.count)
            // Every body's ends and middle each step, every byte now and then.
            for (extent, fill) in inFlight {
                let bytes = try view.bytes(extent)
                let samples = step % 100 == 0 ? Array(bytes) : [bytes.first!, bytes[bytes.count / 2], bytes.last!]
                #expect(samples.allSatisfy { $0 == fill }, "step \(step): the body at \(extent) changed")
            }
        }
        #expect(stored > 500)
        #expect(refused > 10, "the test never filled the ring")
    }

    /// Whether a first-in-first-out ring holding `extents` (oldest first) has room for `size`
    /// bytes: free space lies from the newest body's end (rounded up to a line) round to the
    /// oldest body's start, as one run if the newest lies before the oldest (wrapped), else as
    /// two, to the ring's end and from its start.
    static func fits(_ size: Int, after extents: [Range<Int>], capacity: Int) -> Bool {
        guard let oldest = extents.first, let newest = extents.last else { return size <= capacity }
        let free = (newest.upperBound + BodyRing.alignment - 1) / BodyRing.alignment * BodyRing.alignment
        if newest.lowerBound < oldest.lowerBound { return oldest.lowerBound - free >= size }
        return capacity - free >= size || oldest.lowerBound >= size
    }

    @Test func theWorkerRefusesRangesOutsideTheRing() throws {
        let ring = try BodyRing(capacity: 4096)
        let view = try Self.workerView(of: ring)
        #expect(throws: WireFormatError.self) { try view.bytes(4000..<4097) }
        #expect(throws: WireFormatError.self) { try view.bytes(-1..<10) }
        #expect(try view.bytes(0..<4096).count == 4096)
    }

    @Test func aRequestSaysWhereItsBodyLies() throws {
        let ring = try BodyRing(capacity: 1 << 16)
        let view = try Self.workerView(of: ring)
        let job = ParseJob(url: NormalizedURL("http://ring.test/a")!, headers: ResponseHeaders(contentType: "text/html"), body: Array("<a href=/b>b</a>".utf8))
        _ = ring.store(Self.body(100, fill: 9))  // so the body does not lie at 0
        let extent = try #require(ring.store(job.body))
        for request in [WorkerRequest.parse(id: 7, job: job), .echo(id: 8, body: job.body)] {
            var writer = WireWriter()
            let trailing = writer.writeExceptBody(request, sharedBody: extent)
            #expect(trailing.isEmpty, "nothing follows a shared request's head")
            #expect(writer.bytes.count < 60)
            var decoder = FrameDecoder()
            decoder.append(writer.bytes)
            let payload = try #require(try decoder.nextPayload())
            #expect(try WireReader.request(from: payload, sharedBodies: view) == request)
            #expect(throws: WireFormatError.self, "a shared body needs a ring") { try WireReader.request(from: payload) }
        }
        // The worker parses the body where it lies in the ring.
        var writer = WireWriter()
        _ = writer.writeExceptBody(.parse(id: 9, job: job), sharedBody: extent)
        var decoder = FrameDecoder()
        decoder.append(writer.bytes)
        let request = try WireReader.requestInPlace(from: try #require(try decoder.nextPayload()))
        let response = try ParseWorker.respond(to: request, extractor: LinkExtractor(), settings: ParseWorker.Settings(), sharedBodies: view)
        #expect(response == .parsed(id: 9, result: LinkExtractor().extract(job)))
    }
}
