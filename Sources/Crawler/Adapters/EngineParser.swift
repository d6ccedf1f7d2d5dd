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
}
