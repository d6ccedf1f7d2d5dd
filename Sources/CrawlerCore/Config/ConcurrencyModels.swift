/// How the fetch phase waits for I/O. Every model returns the same results; only the cost differs.
public enum FetchModel: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// One easy handle, one request at a time: the baseline.
    case sequential
    /// A fixed pool of OS threads, each blocking on its own reused easy handle.
    case threads
    /// Structured concurrency: tasks await transfers driven by curl's multi interface on one thread.
    case async

    public var description: String { rawValue }
}

/// Where the CPU-bound parse phase runs. Every model returns the same parsed pages.
public enum ParseModel: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// On the calling thread: the baseline.
    case inline
    /// A pool of OS threads, each with its own libxml2 parser context (Swift has no GIL).
    case threads
    /// Long-lived worker processes fed over pipes with length-prefixed frames.
    case processes

    public var description: String { rawValue }
}
