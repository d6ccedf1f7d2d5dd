/// One outgoing link of a page.
///
/// The extraction contract, shared by the parser, the synthetic web's answer key and every
/// test (a "correct extractor" finds exactly these):
/// - elements: `<a href>`, `<area href>`, `<link href>` (any `rel`), `<iframe src>`, `<frame src>`;
///   nothing else (`img`, `script`, `form` are not links);
/// - the reference is resolved against the first `<base href>` (itself resolved against the
///   page URL) or else the page's final URL, then normalized by `NormalizedURL`;
/// - only `http` and `https` targets are kept: `javascript:`, `mailto:`, `tel:`, `data:` and
///   anything else are dropped, as are references that cannot be parsed;
/// - `rel=nofollow` links are kept and marked; the crawler records them but does not follow them.
public struct Link: Sendable, Hashable, Codable {
    /// The resolved, normalized target.
    public var target: NormalizedURL
    /// The element the link came from.
    public var kind: LinkKind
    /// The `rel` attribute, lower-cased, when present.
    public var rel: String?
    /// Anchor text (or `alt`/`title` for `area`), whitespace collapsed, trimmed and bounded.
    public var anchorText: String
    /// `rel` contains `nofollow`.
    public var nofollow: Bool

    /// A link.
    public init(target: NormalizedURL, kind: LinkKind, rel: String? = nil, anchorText: String = "", nofollow: Bool = false) {
        self.target = target
        self.kind = kind
        self.rel = rel
        self.anchorText = anchorText
        self.nofollow = nofollow
    }
}

/// The element a link was found in.
public enum LinkKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// `<a href>`
    case a
    /// `<area href>`
    case area
    /// `<link href>`
    case link
    /// `<iframe src>`
    case iframe
    /// `<frame src>`
    case frame
}
