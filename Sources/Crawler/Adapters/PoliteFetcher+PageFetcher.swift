import CrawlerFetch

/// The polite fetcher (robots, per-host limits, retries over any engine) is the pipeline's fetch stage.
extension PoliteFetcher: PageFetcher {}
