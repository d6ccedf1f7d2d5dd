import CrawlerCore
import CrawlerFetch
import CrawlerParse


/// Any parse engine as the pipeline's parse stage: the body goes in with its URL and headers.
public struct EngineParser: PageParser {
    /// The engine doing the work.
    public let engine: any ParseEngine

    /// Wraps an engine.
    public init(engine: any ParseEngine) {
        self.engine = engine
    }

    public func parse(_ response: FetchResponse) async -> Result<ParsedPage, ParseError> {
        await engine.parse(ParseJob(url: response.finalURL, headers: response.headers, body: response.body))
    }

    public func shutdown() async {
        await engine.shutdown()
    }

    public var preferredTaskExecutor: (any TaskExecutor)? { engine.preferredTaskExecutor }

    public var parsers: Int {
        if let threads = engine as? ThreadParseEngine { return threads.threadCount }
        if let processes = engine as? ProcessParseEngine { return max(1, processes.workerProcessIDs.count) }
        return 1
    }

    public var parsesOnCallersThread: Bool { engine.model == .inline }

    public var workerProcessIDs: [Int32] { (engine as? ProcessParseEngine)?.workerProcessIDs ?? [] }
}
