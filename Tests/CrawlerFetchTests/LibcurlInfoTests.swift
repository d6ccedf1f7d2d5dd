import Testing
@testable import CrawlerFetch

@Test func libcurlReportsAVersion() {
    #expect(LibcurlInfo.version.split(separator: ".").count == 3)
}
