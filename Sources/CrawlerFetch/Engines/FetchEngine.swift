import CrawlerCore

/// Fetches one URL at a time per call, however many calls are in flight: the interface every
/// concurrency model implements. All engines return the same results for the same web; they
/// differ only in how they wait (and so in throughput, CPU and memory).
///
/// No politeness here: `PoliteFetcher` adds robots.txt, per-host limits and retries on top.
public protocol FetchEngine: Sendable {
    /// The model this engine implements.
    var model: FetchModel { get }
    /// Fetches `url` with one request, following no redirect: a 3xx comes back as it is (its
    /// status, `headers.location`, `finalURL == url`), for `PoliteFetcher` to follow hop by hop.
    /// A 404 or 500 is a `.success`; transport failures, limits and cancellation (of the calling
    /// task) are a `FetchError`.
    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError>
    /// `fetch(_:)` reading at most `bodyLimit` of the body instead of the page limit
    /// (`--max-bytes`): robots.txt has its own (`BodyLimit.robotsTxt`).
    func fetch(_ url: NormalizedURL, bodyLimit: BodyLimit) async -> Result<FetchResponse, FetchError>
    /// Cancels what is in flight (those calls return `.cancelled`), stops the engine's
    /// threads and frees every curl handle. Calls after shutdown return `.cancelled`.
    func shutdown() async
}

extension FetchEngine {
    /// For an engine without limits of its own (a test double): its response, cut at a
    /// truncating limit.
    public func fetch(_ url: NormalizedURL, bodyLimit: BodyLimit) async -> Result<FetchResponse, FetchError> {
        let result = await fetch(url)
        guard case .success(var response) = result, bodyLimit.overflow == .truncate, response.body.count > bodyLimit.bytes else { return result }
        response.body = Array(response.body.prefix(bodyLimit.bytes))
        return .success(response)
    }
}

/// Creates the engine `options.model` names: `sequential` (one thread, one handle),
/// `threads` (`options.concurrency` threads, each with its own handle) or `async`
/// (one event-loop thread driving curl's multi interface for any number of tasks).
public func makeFetchEngine(_ options: FetchOptions) -> any FetchEngine {
    switch options.model {
    case .sequential: ThreadPoolFetchEngine(options: options, threadCount: 1, model: .sequential)
    case .threads: ThreadPoolFetchEngine(options: options, threadCount: max(1, options.concurrency), model: .threads)
    case .async: MultiFetchEngine(options: options)
    }
}

/// What an engine keeps for a task awaiting its transfer.
struct TransferWaiter: Sendable {
    let continuation: CheckedContinuation<Result<FetchResponse, FetchError>, Never>
    let abortFlag: AbortFlag
    let url: NormalizedURL
    let bodyLimit: BodyLimit

    func resumeCancelled() {
        abortFlag.set()
        continuation.resume(returning: .failure(.cancelled(url: url.string)))
    }
}
