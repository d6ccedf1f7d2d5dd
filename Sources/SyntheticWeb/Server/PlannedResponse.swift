import NIOCore

/// A response decided, not yet sent: what the handler writes and how.
struct PlannedResponse {
    /// The HTTP status.
    var status: Int
    /// `Content-Type`, when there is a body.
    var contentType: String?
    /// More headers (`Location`, `Retry-After`).
    var extraHeaders: [(String, String)] = []
    /// The body (or one chunk of it, see `bodyRepeats`).
    var body: ByteBuffer
    /// The body is `body` written this many times (`/huge` streams one shared chunk).
    var bodyRepeats = 1
    /// Seconds to wait before answering, on top of the configured latency (`/slow`).
    var stallSeconds: Double = 0
    /// Send the head and half the body, then reset the connection (`/reset`).
    var resetMidBody = false

    /// Bytes of the whole body, as `Content-Length` says.
    var contentLength: Int { body.readableBytes * bodyRepeats }
}
