import CrawlerCore

/// Renders a content page as realistic markup of about its target size: doctype, head with
/// title, charset, styles and scripts, nested divs, paragraphs, tables, lists, entities and
/// comments; its links spelled many ways, resources (`<img>`, `<script src>`) among them; and
/// decoys a correct extractor must ignore (links in scripts, comments, escaped text;
/// `<form action>`; non-http schemes).
struct ContentPageRenderer {
    let model: SiteModel
    let speller: HrefSpeller

    func render(_ page: ContentPage) -> [UInt8] {
        var rng = SplitMix64(seed: model.config.seed, stream: .render, index: page.index)
        var html = HTMLWriter(capacity: page.targetBytes + 4096)
        let linkBase = page.base ?? page.url
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<title>")
        html.text(titleCase(page.title))
        html.raw(" &mdash; Site \(page.host + 1)</title>\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.raw("<meta name=\"description\" content=\"\(HTMLWriter.escapeAttribute(sentence(&rng, words: 12)))\">\n")
        if page.metaNofollow { html.raw("<meta name=\"robots\" content=\"nofollow\">\n") }
        if page.metaNoindex { html.raw("<meta name=\"robots\" content=\"noindex\">\n") }
        if let base = page.base {
            let href = rng.chance(0.5) ? base.path : base.string
            html.raw("<base href=\"\(HTMLWriter.escapeAttribute(href))\">\n")
        }
        for link in page.links where link.role == .stylesheet || link.role == .canonical {
            let rel = link.role == .stylesheet ? "stylesheet" : "canonical"
            let href = spell(link, on: page, base: linkBase, rng: &rng, allowFragment: false)
            html.raw("<link rel=\"\(rel)\" href=\"\(HTMLWriter.escapeAttribute(href))\">\n")
        }
        writeStyle(&html, rng: &rng)
        writeScript(&html, page: page, rng: &rng)
        html.raw("</head>\n<body class=\"page-\(page.local)\">\n<div id=\"top\" class=\"wrapper\">\n<header class=\"site-header\">\n")
        html.raw("<img src=\"\(page.logoPath)\" alt=\"Site \(page.host + 1) logo\" width=\"120\" height=\"40\">\n")
        html.raw("<form action=\"/search\" method=\"get\"><input type=\"text\" name=\"q\"><button>Search</button></form>\n")
        html.raw("<nav class=\"breadcrumb\">")
        for link in page.links where link.role == .home {
            html.raw(anchor(link, on: page, base: linkBase, text: "Home", rng: &rng))
            html.raw(" &rsaquo; ")
        }
        html.text(titleCase(page.title))
        html.raw("</nav>\n</header>\n")
        html.raw("<!-- navigation kept for reference: <a href=\"/not-a-link-comment.html\">old home</a> -->\n")
        writeSidebar(&html, page: page, base: linkBase, rng: &rng)
        html.raw("<main>\n<article>\n<h1>")
        html.text(titleCase(page.title))
        html.raw("</h1>\n")
        let headings = page.links.filter { $0.role == .onThisPage }.count
        if headings > 0 {
            html.raw("<nav class=\"on-this-page\"><h2>On this page</h2>\n<ul>\n")
            for number in 0..<headings { html.raw("<li><a href=\"#h-\(number)\">\(titleCase(sentence(&rng, words: 3)))</a></li>\n") }
            html.raw("</ul></nav>\n")
        }

        let body = page.links.filter { $0.role == .body }
        var remaining = body[...]
        var blockNumber = 0
        while !remaining.isEmpty || html.count < page.targetBytes - 1200 {
            let take = remaining.isEmpty ? 0 : min(remaining.count, rng.int(in: 1...4))
            let links = Array(remaining.prefix(take))
            remaining = remaining.dropFirst(take)
            if blockNumber < headings { html.raw("<h2 id=\"h-\(blockNumber)\">\(titleCase(sentence(&rng, words: 4)))</h2>\n") }
            writeBlock(&html, number: blockNumber, links: links, page: page, base: linkBase, rng: &rng)
            blockNumber += 1
        }
        let pager = page.links.filter { $0.role == .pager }
        if !pager.isEmpty {
            html.raw("<nav class=\"pager\">")
            for link in pager {
                let href = speller.relative(model.url(of: link.target), from: linkBase, rng: &rng)
                html.raw("<a href=\"\(HTMLWriter.escapeAttribute(href))\">\(titleCase(targetTitle(link)))</a> ")
            }
            html.raw("</nav>\n")
        }
        html.raw("</article>\n")

        let areas = page.links.filter { $0.role == .area }
        if !areas.isEmpty {
            html.raw("<figure><img src=\"\(page.mapImagePath)\" usemap=\"#map\(page.local)\" alt=\"Site map\" width=\"300\" height=\"100\">\n")
            html.raw("<map name=\"map\(page.local)\">\n")
            for (number, area) in areas.enumerated() {
                let href = spell(area, on: page, base: linkBase, rng: &rng)
                let rel = area.nofollow ? " rel=\"nofollow\"" : ""
                html.raw("<area shape=\"rect\" coords=\"\(number * 100),0,\(number * 100 + 99),99\" href=\"\(HTMLWriter.escapeAttribute(href))\"\(rel) alt=\"")
                html.text(titleCase(rng.pick(Vocabulary.words)))
                html.raw("\">\n")
            }
            html.raw("</map></figure>\n")
        }
        for link in page.links where link.role == .iframe {
            let href = spell(link, on: page, base: linkBase, rng: &rng)
            html.raw("<iframe src=\"\(HTMLWriter.escapeAttribute(href))\" title=\"Embedded page\" width=\"400\" height=\"200\"></iframe>\n")
        }
        let children = page.links.filter { $0.role == .child }
        if !children.isEmpty {
            html.raw("<aside class=\"related\">\n<h2>In this section</h2>\n<ul>\n")
            for child in children {
                html.raw("<li>")
                html.raw(anchor(child, on: page, base: linkBase, text: sentence(&rng, words: 3), rng: &rng))
                html.raw("</li>\n")
            }
            html.raw("</ul>\n</aside>\n")
        }
        html.raw("</main>\n<footer>\n<p>&copy; 2026 Site \(page.host + 1) &middot; ")
        html.raw("<a href=\"mailto:webmaster@site\(page.host + 1).example\">Contact</a> &middot; ")
        html.raw("<a href=\"tel:+1-555-0100\">Call us</a> &middot; ")
        html.raw("<a href=\"javascript:window.print()\">Print</a> &middot; ")
        html.raw("<a href=\"JavaScript:void(0)\" onclick=\"go('/not-a-link-onclick.html')\">Menu</a> &middot; ")
        html.raw("<a href=\"data:text/html,%3Ca%20href%3D%22%2Fnot-a-link%22%3E\">Data</a>")
        if page.links.contains(where: { $0.role == .topOfPage }) {
            // A fragment-only reference resolves to the page itself (only on pages without <base>).
            html.raw(" &middot; <a href=\"#top\">Back to top</a>")
        }
        html.raw("</p>\n<p>Escaped markup is text: &lt;a href=&quot;/not-a-link-escaped.html&quot;&gt;</p>\n")
        html.raw("</footer>\n</div>\n<script src=\"\(ContentPage.scriptPath)\"></script>\n</body>\n</html>\n")
        return html.bytes
    }

    // MARK: Links

    private func spell(_ link: LinkSpec, on page: ContentPage, base: NormalizedURL, rng: inout SplitMix64, allowFragment: Bool = true) -> String {
        let target = model.url(of: link.target)
        if model.config.profile == .docs {
            return speller.docsHref(target, from: base, rng: &rng, fragmentChance: allowFragment ? 0.25 : 0)
        }
        return speller.spell(target, from: base, rng: &rng, allowFragment: allowFragment)
    }

    /// The sidebar of a docs page: the host's table of contents, one relative link per page.
    private func writeSidebar(_ html: inout HTMLWriter, page: ContentPage, base: NormalizedURL, rng: inout SplitMix64) {
        let entries = page.links.filter { $0.role == .navigation }
        guard !entries.isEmpty else { return }
        html.raw("<nav class=\"sidebar\" aria-label=\"Contents\">\n<ul>\n")
        for entry in entries {
            let href = speller.relative(model.url(of: entry.target), from: base, rng: &rng)
            let current = entry.target == .page(page.index) ? " aria-current=\"page\"" : ""
            html.raw("<li class=\"toctree-l1\"><a class=\"reference internal\" href=\"\(HTMLWriter.escapeAttribute(href))\"\(current)>")
            html.text(titleCase(targetTitle(entry)))
            html.raw("</a></li>\n")
        }
        html.raw("</ul>\n</nav>\n")
    }

    /// The title of the page a link points to ("Page" for targets that are not content pages).
    private func targetTitle(_ link: LinkSpec) -> String {
        if case .page(let index) = link.target { return model.pages[index].title }
        return "Page"
    }

    /// An `<a>` element with varied quoting and case; `rel` when nofollow.
    private func anchor(_ link: LinkSpec, on page: ContentPage, base: NormalizedURL, text: String, rng: inout SplitMix64) -> String {
        let href = spell(link, on: page, base: base, rng: &rng)
        let upper = rng.chance(0.04)
        let quoting = rng.below(100)
        let attribute: String
        let safeUnquoted = !href.isEmpty && !href.hasSuffix("/") && href.utf8.allSatisfy(Self.unquotedSafe.contains)
        if quoting < 8, safeUnquoted {
            attribute = href
        } else if quoting < 20 {
            attribute = "'" + HTMLWriter.escapeAttribute(href, quote: "'") + "'"
        } else {
            attribute = "\"" + HTMLWriter.escapeAttribute(href) + "\""
        }
        var rel = ""
        if link.nofollow { rel = " rel=\"" + rng.pick(["nofollow", "nofollow noopener", "external nofollow", "NoFollow"]) + "\"" }
        let title = rng.chance(0.2) ? " title=\"\(HTMLWriter.escapeAttribute(sentence(&rng, words: 4)))\"" : ""
        var escapedText = ""
        for character in text {
            switch character {
            case "&": escapedText += "&amp;"
            case "<": escapedText += "&lt;"
            default: escapedText.append(character)
            }
        }
        return upper
            ? "<A HREF=\(attribute)\(rel)\(title)>\(escapedText)</A>"
            : "<a href=\(attribute)\(rel)\(title)>\(escapedText)</a>"
    }

    /// Bytes an href may have to be written without quotes, unambiguously for any HTML parser.
    private static let unquotedSafe: Set<UInt8> = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./_~%:-".utf8)

    // MARK: Blocks

    /// One block of the article: a paragraph, a list, a table or nested divs, with the given links in it.
    private func writeBlock(
        _ html: inout HTMLWriter, number: Int, links: [LinkSpec], page: ContentPage, base: NormalizedURL, rng: inout SplitMix64
    ) {
        let kind = rng.below(10)
        var anchors = links.map { anchor($0, on: page, base: base, text: sentence(&rng, words: rng.int(in: 1...5)), rng: &rng) }
        switch kind {
        case 0:
            html.raw("<ul class=\"list-\(number)\">\n")
            let items = max(anchors.count, rng.int(in: 2...6))
            for _ in 0..<items {
                html.raw("<li>")
                html.raw(textWithEntities(&rng, words: rng.int(in: 4...14)))
                if !anchors.isEmpty { html.raw(" " + anchors.removeFirst()) }
                html.raw("</li>\n")
            }
            html.raw("</ul>\n")
        case 1:
            html.raw("<table class=\"data\">\n<thead><tr><th>Name</th><th>Value</th><th>Notes</th></tr></thead>\n<tbody>\n")
            let rows = max(anchors.count, rng.int(in: 2...8))
            for row in 0..<rows {
                html.raw("<tr><td>")
                html.text(titleCase(rng.pick(Vocabulary.words)))
                html.raw("</td><td>\(row * 17 + number)&nbsp;kB</td><td>")
                if !anchors.isEmpty { html.raw(anchors.removeFirst()) } else { html.raw(textWithEntities(&rng, words: 5)) }
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody>\n</table>\n")
        case 2:
            html.raw("<div class=\"card\"><div class=\"card-body\"><div class=\"card-text\">\n<h3>")
            html.text(titleCase(sentence(&rng, words: 3)))
            html.raw("</h3>\n<p>")
            html.raw(textWithEntities(&rng, words: rng.int(in: 20...60)))
            for anchor in anchors { html.raw(" " + anchor + " ") }
            html.raw("</p>\n</div></div></div>\n")
        case 3:
            html.raw("<!-- block \(number): <a href=\"/not-a-link-\(number).html\">draft</a> -->\n<blockquote><p>")
            html.raw(textWithEntities(&rng, words: rng.int(in: 15...40)))
            for anchor in anchors { html.raw(" " + anchor) }
            html.raw("</p></blockquote>\n")
        default:
            html.raw("<p>")
            var words = rng.int(in: 40...160)
            let per = max(1, words / (anchors.count + 1))
            while words > 0 {
                html.raw(textWithEntities(&rng, words: min(per, words)))
                words -= per
                if !anchors.isEmpty { html.raw(" " + anchors.removeFirst() + " ") }
            }
            for anchor in anchors { html.raw(" " + anchor) }
            html.raw("</p>\n")
        }
    }

    private func writeStyle(_ html: inout HTMLWriter, rng: inout SplitMix64) {
        html.raw("<style>\nbody { font-family: Georgia, serif; margin: 0 auto; max-width: 48em; background: url(/images/bg.png); }\n")
        for number in 0..<rng.int(in: 3...12) {
            html.raw(".\(rng.pick(Vocabulary.words))-\(number) a:hover { color: #\(String(rng.below(0xFFFFFF), radix: 16)); padding: \(number)px; }\n")
        }
        html.raw("</style>\n")
    }

    private func writeScript(_ html: inout HTMLWriter, page: ContentPage, rng: inout SplitMix64) {
        html.raw("<script>\n// Links inside scripts are not links: <a href=\"/not-a-link-js-comment.html\">\n")
        html.raw("var templates = { card: \"<a href='/not-a-link'>more<\\/a>\", page: \(page.local) };\n")
        html.raw("function go(path) { if (path && path.length < 2048) { window.location.href = path; } }\n")
        html.raw("var sizes = [\((0..<rng.int(in: 3...9)).map { _ in String(rng.below(1000)) }.joined(separator: ", "))];\n")
        html.raw("if (sizes.length > 1 && sizes[0] < sizes[1]) { document.documentElement.className = 'js'; }\n</script>\n")
    }

    // MARK: Text

    private func sentence(_ rng: inout SplitMix64, words: Int) -> String {
        (0..<max(1, words)).map { _ in rng.pick(Vocabulary.words) }.joined(separator: " ")
    }

    private func titleCase(_ text: String) -> String {
        text.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// Running text with entities, emphasis and the odd non-ASCII word; already markup.
    private func textWithEntities(_ rng: inout SplitMix64, words: Int) -> String {
        var result = ""
        for number in 0..<words {
            if number > 0 { result += " " }
            switch rng.below(40) {
            case 0: result += "caf&eacute;"
            case 1: result += "&amp;"
            case 2: result += "&#169;&nbsp;2026"
            case 3: result += "<em>\(rng.pick(Vocabulary.words))</em>"
            case 4: result += "<strong>\(rng.pick(Vocabulary.words))</strong>"
            case 5: result += "na\u{EF}ve"
            case 6: result += "&#x2014;"
            case 7: result += "3&nbsp;&lt;&nbsp;4"
            default: result += rng.pick(Vocabulary.words)
            }
        }
        return result
    }
}
