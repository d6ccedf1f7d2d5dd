import CrawlerArchive
import CrawlerCore
import CrawlerFetch
import CrawlerParse
import Foundation

/// One process's part of a crawl, whatever its store: starts the fetcher and the parse engine
/// its settings ask for, runs the pipeline, and shuts both down however the run ends. Every
/// session (the SQLite one, a PostgreSQL fleet's node) goes through here, so they start, stop
/// on Ctrl-C and clean up alike.
public enum PipelineRun {
    /// How the pipeline ended: its summary, and whether it stopped early (Ctrl-C, or the
    /// archive stopped on a write error).
    public struct Outcome: Sendable {
        public var summary: CrawlSummary
        public var interrupted: Bool
    }

    /// Runs the pipeline. `makeStore` is called once the engines are up (a parse engine that
    /// cannot start fails the run before anything is recorded); an error it or the pipeline
    /// throws is rethrown after the engines are shut down. A Ctrl-C (or an archive's stop) is an
    /// outcome, not an error.
    public static func run(
        settings: CrawlSettings, policy: FrontierPolicy, seeds: [NormalizedURL], workerExecutable: URL?,
        progress: (@Sendable (CrawlProgress) -> Void)?, failure: (@Sendable (PageFailure) -> Void)?,
        fetcher customFetcher: (any PageFetcher)? = nil, archive: WARCArchive? = nil,
        store makeStore: () async throws -> any CrawlStore
    ) async throws -> Outcome {
        let fetcher: any PageFetcher = customFetcher ?? PoliteFetcher(options: settings.fetch)
        let parser: EngineParser
        do {
            parser = EngineParser(engine: try makeParseEngine(settings.parse, workerExecutable: workerExecutable))
        } catch {
            await fetcher.shutdown()
            throw error
        }
        let outcome: Outcome
        do {
            let pipeline = CrawlPipeline(
                fetcher: fetcher, parser: parser, store: try await makeStore(), policy: policy,
                seeds: seeds, inFlightLimit: settings.fetch.concurrency, perHost: settings.fetch.perHostConcurrency,
                archive: archive)
            do {
                outcome = Outcome(summary: try await pipeline.run(progress: progress, failure: failure), interrupted: false)
            } catch let stop as CrawlInterrupted {
                outcome = Outcome(summary: stop.summary, interrupted: true)
            }
        } catch {
            await fetcher.shutdown()
            await parser.shutdown()
            throw error
        }
        await fetcher.shutdown()
        await parser.shutdown()
        return outcome
    }
}
