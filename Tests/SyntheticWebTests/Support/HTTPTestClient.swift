import Foundation
import NIOCore
import NIOPosix

/// A raw HTTP/1.1 client for tests: writes request bytes, collects every response byte until the
/// server closes (or resets) the connection, then parses responses by `Content-Length`. Raw, so
/// tests can see what a real client would hide (half bodies, resets, exact headers).
enum HTTPTestClient {
    /// One parsed response.
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        /// The body had as many bytes as `Content-Length` said.
        var complete: Bool

        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// What came back on one connection.
    struct Exchange: Sendable {
        var responses: [Response]
        /// The connection ended with an error (a reset) rather than a clean close.
        var endedWithError: Bool
        var rawByteCount: Int
    }

    static let group = MultiThreadedEventLoopGroup.singleton

    /// GET `path` from `address:port` on a fresh connection with `Connection: close`.
    static func get(_ address: String, port: Int, path: String, host: String? = nil, method: String = "GET") async throws -> Response {
        let exchange = try await send(address, port: port, requests: [(method, path, host ?? "\(address):\(port)")], keepAlive: false)
        guard let response = exchange.responses.first else { throw ClientError.noResponse(path) }
        return response
    }

    /// Sends several requests on one connection (keep-alive, pipelined; the last asks to close).
    static func send(_ address: String, port: Int, requests: [(method: String, path: String, host: String)], keepAlive: Bool) async throws -> Exchange {
        var text = ""
        for (number, request) in requests.enumerated() {
            let last = number == requests.count - 1
            text += "\(request.method) \(request.path) HTTP/1.1\r\nHost: \(request.host)\r\nUser-Agent: SyntheticWebTests\r\n"
            text += (keepAlive && !last) ? "\r\n" : "Connection: close\r\n\r\n"
        }
        let collected = try await collect(address, port: port, request: Array(text.utf8))
        return Exchange(responses: parse(collected.bytes, headOnly: requests.map { $0.method == "HEAD" }), endedWithError: collected.error, rawByteCount: collected.bytes.count)
    }

    enum ClientError: Error { case noResponse(String) }

    private static func collect(_ address: String, port: Int, request: [UInt8]) async throws -> (bytes: [UInt8], error: Bool) {
        let promise = group.next().makePromise(of: Collected.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(promise: promise)) }
                }
                .connect(host: address, port: port).get()
        } catch {
            promise.fail(error)
            throw error
        }
        try await channel.writeAndFlush(ByteBuffer(bytes: request))
        let result = try await promise.futureResult.get()
        return (result.bytes, result.error)
    }

    struct Collected: Sendable {
        var bytes: [UInt8]
        var error: Bool
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let promise: EventLoopPromise<Collected>
        private var bytes: [UInt8] = []
        private var error = false

        init(promise: EventLoopPromise<Collected>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            self.error = true
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.succeed(Collected(bytes: bytes, error: error))
        }
    }

    /// Splits a byte stream into responses by `Content-Length`.
    static func parse(_ bytes: [UInt8], headOnly: [Bool]) -> [Response] {
        var responses: [Response] = []
        var index = 0
        let separator: [UInt8] = [13, 10, 13, 10]
        while index < bytes.count {
            guard let end = firstIndex(of: separator, in: bytes, from: index) else { break }
            let headText = String(decoding: bytes[index..<end], as: UTF8.self)
            var lines = headText.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
            let headers = lines.compactMap { line -> (name: String, value: String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            let length = Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
            let bodyStart = end + 4
            let isHead = responses.count < headOnly.count && headOnly[responses.count]
            let wanted = isHead ? 0 : length
            let available = min(wanted, bytes.count - bodyStart)
            responses.append(Response(status: status, headers: headers, body: Array(bytes[bodyStart..<(bodyStart + available)]), complete: available == wanted))
            index = bodyStart + available
        }
        return responses
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var index = start
        while index <= bytes.count - pattern.count {
            if bytes[index] == pattern[0], Array(bytes[index..<(index + pattern.count)]) == pattern { return index }
            index += 1
        }
        return nil
    }
}
