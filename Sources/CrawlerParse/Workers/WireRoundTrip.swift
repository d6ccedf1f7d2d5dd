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

    /// Decodes one response frame, as the parent does; nil if it holds no parsed page.
    package static func decodeResponse(_ frame: [UInt8]) throws -> ParsedPage? {
        var decoder = FrameDecoder()
        decoder.append(frame)
        guard let payload = try decoder.nextPayload(),
            case .parsed(_, .success(let page)) = try WireReader.response(from: payload)
        else { return nil }
        return page
    }
}
