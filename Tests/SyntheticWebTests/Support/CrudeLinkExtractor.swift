import CrawlerCore
import Foundation

/// A deliberately simple, regex-based link extractor that knows the generator's formats: a
/// cross-check of the answer key, independent of the model (it reads only served bytes).
enum CrudeLinkExtractor {
    /// Targets of `<a href>`, `<area href>`, `<link href>`, and the `src` of `iframe`, `frame`,
    /// `img`, `script`, `video`, `audio`, `source` and `embed`, outside comments, script bodies
    /// and styles, resolved against the first `<base href>` or the page URL.
    static func targets(in html: String, pageURL: NormalizedURL) -> Set<NormalizedURL> {
        var text = html
        for pattern in [#"<!--[\s\S]*?-->"#, #"<style[\s\S]*?</style>"#] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: [.regularExpression, .caseInsensitive])
        }
        // A script's body is not markup; its opening tag's src is a link.
        text = text.replacingOccurrences(of: #"(<script\b[^>]*>)[\s\S]*?</script>"#, with: "$1 ", options: [.regularExpression, .caseInsensitive])
        let tagPattern = try! NSRegularExpression(pattern: #"<(a|area|link|iframe|frame|img|script|video|audio|source|embed|base)\b([^>]*)>"#, options: [.caseInsensitive])
        let attributePattern = try! NSRegularExpression(
            pattern: #"\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#, options: [.caseInsensitive])
        var base = pageURL
        var baseSeen = false
        var references: [String] = []
        let range = NSRange(text.startIndex..., in: text)
        for match in tagPattern.matches(in: text, range: range) {
            let name = String(text[Range(match.range(at: 1), in: text)!]).lowercased()
            let attributes = String(text[Range(match.range(at: 2), in: text)!])
            let attributeRange = NSRange(attributes.startIndex..., in: attributes)
            for attribute in attributePattern.matches(in: attributes, range: attributeRange) {
                let attributeName = String(attributes[Range(attribute.range(at: 1), in: attributes)!]).lowercased()
                let wanted = ["a", "area", "link", "base"].contains(name) ? "href" : "src"
                guard attributeName == wanted else { continue }
                let value = (2...4).compactMap { Range(attribute.range(at: $0), in: attributes).map { String(attributes[$0]) } }.first ?? ""
                let decoded = decodeEntities(value)
                if name == "base" {
                    if !baseSeen, let resolved = pageURL.resolve(decoded) { base = resolved }
                    baseSeen = true
                } else {
                    references.append(decoded)
                }
            }
        }
        return Set(references.compactMap { base.resolve($0) })
    }

    private static func decodeEntities(_ value: String) -> String {
        value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
