import CrawlerCore

/// The wire protocol's encoders and decoder behind one small `package` door, so the
/// micro-benchmarks (and only this package) can time a frame round trip without reaching
/// into the worker's internals.
package enum WireRoundTrip {
    /// The parse-request frame the parent writes to a worker for `job`.
    package static func requestFrame(for job: ParseJob) -> [UInt8] {
        var writer = WireWriter()
        writer.write(WorkerRequest.parse(id: 1, job: job))
        return writer.bytes
    }

    /// The response frame a worker writes back for `page`.
    package static func responseFrame(for page: ParsedPage) -> [UInt8] {
        var writer = WireWriter()
        writer.write(WorkerResponse.parsed(id: 1, result: .success(page)))
        return writer.bytes
    }

    /// Decodes the first answer in `frames`, as the parent does, passing over a worker's
    /// `ready` frame; nil if no complete answer holds a parsed page.
    package static func decodeResponse(_ frames: [UInt8]) throws -> ParsedPage? {
        var decoder = FrameDecoder()
        decoder.append(frames)
        while let payload = try decoder.nextPayload() {
            switch try WireReader.response(from: payload) {
            case .ready: continue
            case .parsed(_, .success(let page)): return page
            default: return nil
            }
        }
        return nil
    }
}
