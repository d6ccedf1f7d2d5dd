import Testing
@testable import Crawler

@Test func versionLineNamesTheLibraries() {
    #expect(CrawlerInfo.versionLine.contains("libcurl 7."))
    #expect(CrawlerInfo.versionLine.contains("libxml2 2."))
}
