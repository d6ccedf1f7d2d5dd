import Testing
@testable import CrawlerGraph

@Test func schemaVersionIsPositive() {
    #expect(GraphSchema.currentVersion >= 1)
}
