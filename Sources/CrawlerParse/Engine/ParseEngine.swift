import CrawlerCore
import Foundation

/// One page to parse: its final URL, the response headers that matter (Content-Type) and the body.
public struct ParseJob: Sendable, Hashable {
    /// The page's final URL: links resolve against it (or its `<base href>`).
    public var url: NormalizedURL
    /// The response headers; `contentType` decides HTML-ness and the charset.
    public var headers: ResponseHeaders
    /// The body as fetched.
    public var body: [UInt8]
    /// Test only: what a worker process started with test hooks does instead of parsing.
    /// Ignored by the inline and thread engines and by workers started without test hooks.
    public var testFault: WorkerTestFault?

    /// A job.
    public init(url: NormalizedURL, headers: ResponseHeaders = ResponseHeaders(contentType: "text/html"), body: [UInt8], testFault: WorkerTestFault? = nil) {
        self.url = url
        self.headers = headers
        self.body = body
        self.testFault = testFault
    }

    /// The job for a fetched response: its final URL, headers and body.
    public init(_ response: FetchResponse) {
        self.init(url: response.finalURL, headers: response.headers, body: response.body)
    }
}

/// Misbehaviour a worker started with `--enable-test-hooks` acts out on a page, so the
/// isolation of the process engine can be tested deterministically.
public enum WorkerTestFault: UInt8, Sendable, Hashable, CaseIterable {
    /// The worker aborts (SIGABRT) while parsing the page.
    case crash = 1
    /// The worker sleeps forever on the page.
    case hang = 2
    /// The worker allocates through libxml2 until its memory limit ends it.
    case exhaustMemory = 3
    /// The worker uses 300 ms of CPU time, then parses the page as usual (a slow but
    /// healthy page).
    case slow = 4
    /// The worker uses CPU time forever on the page (a page that never finishes parsing).
    case spin = 5
}

/// Where pages are parsed. Every engine returns the same `ParsedPage` for the same job;
/// only speed, cost and isolation differ. Call `parse` from any number of tasks at once.
public protocol ParseEngine: Sendable {
    /// The model this engine implements.
    var model: ParseModel { get }
    /// Parses one page; a failure is recorded with the page, the crawl goes on.
    func parse(_ job: ParseJob) async -> Result<ParsedPage, ParseError>
    /// Stops the engine's threads or worker processes; pending parses finish first.
    func shutdown() async
    /// Where the tasks that call `parse` had best run, if the engine has a preference: the
    /// process engine's drivers hand each answer to its task without a thread switch when
    /// the task prefers their executor. Nil: anywhere.
    var preferredTaskExecutor: (any TaskExecutor)? { get }
}

extension ParseEngine {
    public var preferredTaskExecutor: (any TaskExecutor)? { nil }
}

/// The engine for `options.model` with `options.workers` threads or worker processes.
///
/// - Parameter workerExecutable: the binary whose hidden `worker` subcommand runs a worker
///   process; defaults to this process's own executable (`/proc/self/exe`). Tests pass the
///   `crawler` binary from the build products directory.
public func makeParseEngine(_ options: ParseOptions, workerExecutable: URL? = nil) throws -> any ParseEngine {
    switch options.model {
    case .inline:
        return InlineParseEngine(options: options)
    case .threads:
        return ThreadParseEngine(options: options)
    case .processes:
        var configuration = ProcessParseEngine.Configuration(options: options)
        if let workerExecutable { configuration.executablePath = workerExecutable.path }
        return try ProcessParseEngine(configuration)
    }
}

/// Parses on the calling thread: the baseline.
public struct InlineParseEngine: ParseEngine {
    private let extractor: LinkExtractor

    /// An inline engine.
    public init(options: ParseOptions) {
        extractor = LinkExtractor(options: options)
    }

    public var model: ParseModel { .inline }

    public func parse(_ job: ParseJob) async -> Result<ParsedPage, ParseError> {
        extractor.extract(job)
    }

    public func shutdown() async {}
}
