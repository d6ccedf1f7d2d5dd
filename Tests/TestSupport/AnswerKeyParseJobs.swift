import CrawlerCore
import CrawlerParse
import SyntheticWeb

extension SiteModel {
    /// Every page of `key` that is fetched with a 2xx status and has a fixed body in this
    /// model, as a parse job with the content type it is served with: the synthetic web's
    /// pages without HTTP, for the tests that hold a parser to the answer key.
    public func parseJobs(of key: AnswerKey) -> [ParseJob] {
        key.pages.compactMap { page in
            guard page.fetched, let status = page.expected.status, (200..<300).contains(status), let body = body(for: page.url) else { return nil }
            return ParseJob(url: page.url, headers: ResponseHeaders(contentType: page.contentType), body: body)
        }
    }
}
