import CrawlerBench
import TestSupport
import Testing

@Suite struct StoreWriteBenchmarkTests {
    /// The benchmark runs and its figures add up; the speed itself is measured in release builds.
    @Test func storeWriteBenchmarkRuns() throws {
        let directory = TemporaryDirectory()
        let result = try StoreWriteBenchmark.run(at: directory.file("bench.sqlite"), pages: 500, batchSize: 50)
        #expect(result.pages == 500)
        // Random targets may repeat on a page and merge into one link row.
        #expect(result.links > 500 * 19 && result.links <= 500 * 20)
        #expect(result.commits >= 10)
        #expect(result.pagesPerSecond > 0)
        #expect(result.bytesPerPage > 100)
    }
}
