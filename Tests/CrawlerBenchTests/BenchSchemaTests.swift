import Testing
@testable import CrawlerBench

@Test func benchSchemaVersionIsPositive() {
    #expect(BenchSchema.version >= 1)
}
