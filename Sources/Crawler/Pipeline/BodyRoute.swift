import CrawlerCore
import CrawlerParse

/// What the pipeline does with a fetch's result, decided once from its status and media type:
/// parse a 2xx HTML body (declared, or of a type that says nothing), read a 2xx body that may
/// be a sitemap, or store the page as it is (a failure, a redirect, an error status, any other type).
enum BodyRoute {
    case html(FetchResponse)
    case sitemap(FetchResponse)
    case store

    init(_ result: Result<FetchResponse, FetchError>) {
        guard case .success(let response) = result, (200..<300).contains(response.status) else {
            self = .store
            return
        }
        let mediaType = response.headers.mediaType
        if ResponseHeaders.isHTML(mediaType: mediaType) {
            self = .html(response)
        } else if SitemapReader.mayBeSitemap(url: response.finalURL, mediaType: mediaType) {
            self = .sitemap(response)
        } else {
            self = .store
        }
    }
}
