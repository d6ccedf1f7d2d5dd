import CrawlerCore
import CrawlerFetch
import CrawlerParse
import Testing
@testable import Crawler

/// The version line names the libraries the crawler runs on, as they report themselves at run
/// time (curl 7 on Debian 12, curl 8 elsewhere: the test must not pin either).
@Test func versionLineNamesTheLibraries() {
    let curl = LibcurlInfo.version
    let xml = LibXML2Info.version
    #expect(curl.split(separator: ".").compactMap { Int($0) }.count == 3, "libcurl reports \(curl)")
    #expect(xml.split(separator: ".").compactMap { Int($0) }.count == 3, "libxml2 reports \(xml)")
    #expect(CrawlerInfo.versionLine == "SwiftCrawler \(FetchOptions.crawlerVersion) (libcurl \(curl), libxml2 \(xml))")
}
