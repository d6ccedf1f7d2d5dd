import Testing
@testable import CrawlerParse

@Test func libxml2ReportsAVersion() {
    #expect(LibXML2Info.version.hasPrefix("2."))
}
