import CrawlerCore
import CrawlerFetch
import CrawlerParse

/// The versions of the crawler and the C libraries it runs on.
public enum CrawlerInfo {
    /// One line a person reads: `SwiftCrawler 0.1.0 (libcurl 7.88.1, libxml2 2.9.14)`.
    public static var versionLine: String {
        "SwiftCrawler \(FetchOptions.crawlerVersion) (libcurl \(LibcurlInfo.version), libxml2 \(LibXML2Info.version))"
    }
}
