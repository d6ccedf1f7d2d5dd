import CrawlerCore
import Synchronization

/// Turns pages into finished WARC bytes: digests, records, one gzip member per record. Any
/// number of threads may encode at once (each takes a compressor of its own from a pool), so
/// the CPU of archiving spreads over the cores while one `WARCFileWriter` writes the results.
///
/// Revisits: a payload is written as a `revisit` only when an identical payload's `response`
/// is already in the files (`written` tells the encoder after each write), so a revisit never
/// refers to a record that a killed process could still lose. Two identical payloads encoded
/// at the same moment are both written as responses.
public final class WARCEncoder: Sendable {
    private let state = Mutex(State())

    private struct State {
        /// The first written `response` of each payload digest.
        var originals: [String: ArchivedResponse] = [:]
        /// The `warcinfo` record of the file being written, which new records name.
        var warcinfoID = ""
        /// Idle compressors.
        var compressors: [GzipMemberCompressor] = []
    }

    /// An encoder with no archived payloads yet.
    public init() {}

    /// The records of `page`, compressed: per hop a `response` (or a `revisit` when its payload
    /// is in the files already) and a `request`, then a `metadata` record with the final page's
    /// outlinks.
    public func encode(_ page: ArchivedPage) throws -> EncodedPage {
        let warcinfoID = state.withLock { $0.warcinfoID }
        var records: [WARCRecord] = []
        var originals: [(digest: String, response: ArchivedResponse)] = []
        var lastResponse: (id: String, exchange: HTTPExchange)?
        for exchange in page.exchanges {
            let digest = WARCDigest.sha1(exchange.payload)
            let responseID = WARCRecordID.make()
            let revisitable = !exchange.payload.isEmpty && !exchange.truncated
            if revisitable, let original = state.withLock({ $0.originals[digest] }) {
                records.append(.revisit(exchange, id: responseID, payloadDigest: digest, original: original, warcinfoID: warcinfoID))
            } else {
                records.append(.response(exchange, id: responseID, payloadDigest: digest, warcinfoID: warcinfoID))
                if revisitable {
                    originals.append((digest, ArchivedResponse(recordID: responseID, targetURI: exchange.url.string, date: WARCDate.string(exchange.startedAt))))
                }
            }
            records.append(.request(exchange, id: WARCRecordID.make(), concurrentTo: responseID, warcinfoID: warcinfoID))
            lastResponse = (responseID, exchange)
        }
        if let lastResponse, !page.outlinks.isEmpty {
            records.append(.metadata(
                uri: lastResponse.exchange.url.string, date: lastResponse.exchange.startedAt, id: WARCRecordID.make(),
                concurrentTo: lastResponse.id, outlinks: page.outlinks, warcinfoID: warcinfoID))
        }
        var bytes: [UInt8] = []
        try withCompressor { compressor in
            for record in records { bytes += try compressor.member(of: record.serialized()) }
        }
        return EncodedPage(bytes: bytes, types: records.map(\.type), originals: originals)
    }

    /// One record as a gzip member (a file's `warcinfo`).
    func encode(_ record: WARCRecord) throws -> [UInt8] {
        try withCompressor { try $0.member(of: record.serialized()) }
    }

    /// Records that `page`'s responses are in the files: later identical payloads revisit them.
    func written(_ page: EncodedPage) {
        for (digest, response) in page.originals { remember(digest: digest, response: response) }
    }

    /// A response in the files (written, or read back from a resumed archive); the first one of
    /// a payload stays the one revisits refer to.
    func remember(digest: String, response: ArchivedResponse) {
        state.withLock { state in
            if state.originals[digest] == nil { state.originals[digest] = response }
        }
    }

    /// The `warcinfo` record that records encoded from now on name.
    func setWarcinfo(_ id: String) { state.withLock { $0.warcinfoID = id } }

    private func withCompressor<T>(_ body: (GzipMemberCompressor) throws -> T) throws -> T {
        let compressor = try state.withLock { $0.compressors.popLast() } ?? GzipMemberCompressor(level: 1)
        defer { state.withLock { $0.compressors.append(compressor) } }
        return try body(compressor)
    }
}

/// A page's records as finished bytes: what `WARCFileWriter` appends to a file in one write.
public struct EncodedPage: Sendable {
    /// The records, each a gzip member, one after the other.
    var bytes: [UInt8]
    /// The type of each record, in order.
    var types: [WARCRecordType]
    /// The responses whose payloads later pages may revisit once these bytes are written.
    var originals: [(digest: String, response: ArchivedResponse)]
}
