import CrawlerCore
import CrawlerSystem

/// The parse workers' wire protocol: length-prefixed binary frames over a pipe.
///
/// A frame is a 4-byte little-endian payload length, then the payload; a payload starts with
/// a message type byte. Integers are LEB128 varints, strings a varint byte count and UTF-8,
/// optional values a presence byte. Hand-rolled rather than JSON: a parsed page with 100
/// links is about 6 KB and encodes/decodes with no intermediate objects.
/// The parent and the worker are the same binary, so there is no version negotiation.
enum WireFormat {
    /// Largest accepted payload: a bigger length prefix means a corrupt stream.
    static let maxPayloadBytes = 256 << 20

    /// Message type bytes.
    enum MessageType: UInt8 {
        case parseRequest = 1
        case echoRequest = 2
        /// A parse request whose body lies in the worker's `SharedBodies`, not in the frame.
        case parseSharedRequest = 3
        /// An echo request whose body lies in the worker's `SharedBodies`.
        case echoSharedRequest = 4
        case parsedResponse = 0x81
        case failedResponse = 0x82
        case echoResponse = 0x83
        /// Sent once by a worker when it has started and is about to read its first request.
        case readyResponse = 0x84
    }
}

/// A message from the parent to a worker.
enum WorkerRequest: Equatable {
    /// Parse this page (a worker with test hooks may act out `job.testFault` instead).
    case parse(id: UInt32, job: ParseJob)
    /// Send back an empty answer at once: measures the pipes' cost without parsing.
    case echo(id: UInt32, body: [UInt8])

    var id: UInt32 {
        switch self {
        case .parse(let id, _), .echo(let id, _): id
        }
    }
}

/// A `WorkerRequest` as a worker reads it: the body is where it lies, a slice of the frame it
/// came in or a range of the shared ring, so the worker parses it there instead of copying it.
enum WorkerRequestInPlace {
    case parse(id: UInt32, url: NormalizedURL, headers: ResponseHeaders, testFault: WorkerTestFault?, body: RequestBody)
    case echo(id: UInt32, body: RequestBody)
}

/// Where a request's body lies.
enum RequestBody: Equatable {
    /// In the frame, after the request's other fields.
    case inFrame(ArraySlice<UInt8>)
    /// In the worker's `SharedBodies`, at this range.
    case shared(Range<Int>)

    /// Calls `body` with the bytes, from the frame or from `sharedBodies`; a shared body
    /// without a ring, or outside it, is a malformed request.
    func withBytes<Value>(in sharedBodies: SharedBodies?, _ body: (UnsafeRawBufferPointer) throws(WireFormatError) -> Value) throws(WireFormatError) -> Value {
        switch self {
        case .inFrame(let slice):
            // withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
            let result = slice.withUnsafeBytes { bytes in Result { () throws(WireFormatError) in try body(bytes) } }
            return try result.get()
        case .shared(let range):
            guard let sharedBodies else { throw WireFormatError(description: "a body in shared memory, but this worker has no shared ring") }
            return try body(try sharedBodies.bytes(range))
        }
    }
}

/// A message from a worker to the parent.
enum WorkerResponse: Equatable {
    /// The page, or why it could not be parsed.
    case parsed(id: UInt32, result: Result<ParsedPage, ParseError>)
    /// The answer to an `echo`.
    case echoed(id: UInt32)
    /// The worker has started (its CPU timer is set up) and reads requests from now on: the
    /// parent's watchdog counts from here, not from when the process was spawned. Not an
    /// answer to any request (its id is 0).
    case ready

    var id: UInt32 {
        switch self {
        case .parsed(let id, _), .echoed(let id): id
        case .ready: 0
        }
    }
}

/// A malformed frame, or a worker's shared body ring that cannot be used: the stream cannot be
/// trusted any more. When a system call is why (the ring cannot be mapped), `cause` keeps it.
struct WireFormatError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, in words ("frame length 0 out of range").
    var summary: String
    /// The system call that failed, if one did.
    var cause: SystemCallError?

    init(description: String, cause: SystemCallError? = nil) {
        summary = description
        self.cause = cause
    }

    /// The summary, then what the system said, if a call failed: "cannot map the shared body
    /// ring: mmap failed: Cannot allocate memory (errno 12)".
    var description: String {
        cause.map { "\(summary): \($0)" } ?? summary
    }
}
