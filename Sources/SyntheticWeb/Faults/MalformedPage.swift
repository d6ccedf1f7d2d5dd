import CrawlerCore

/// Broken markup (unclosed and misnested tags, unquoted and run-together attributes, stray `<`
/// and `&`, a list item outside a list, an unterminated comment-like text) whose links are still
/// unambiguous. The link list is what libxml2's HTML parser (recover mode) finds, checked
/// against libxml2 2.9.14.
enum MalformedPage {
    /// Targets `/malformed/target-1.html` … `target-N.html`.
    static let targetCount = 7

    /// The page; links are root-relative to the fault host.
    static let html = """
        <!DOCTYPE html>
        <html><head><title>Malformed page</title>
        <meta charset="utf-8">
        <body>
        <div class="broken"><p>An unclosed paragraph with <b>bold and <i>italic text
        <p>A stray < less-than sign, 3 < 4, <= and an unescaped & ampersand &nosuchentity; here.
        <a href=/malformed/target-1.html>unquoted href</a>
        <div><span>an unclosed span <a href='/malformed/target-2.html' class=plain>single-quoted href</a>
        <table><tr><td>cell one<td>cell two <a href="/malformed/target-3.html">link in an unclosed cell</a></table>
        <li>a list item without a list
        <A HREF="/malformed/target-4.html">upper-case tag</A>
        </span></div></em></b></div>
        <p>A boolean attribute <a href="/malformed/target-5.html" download>download</a>
        <a href="/malformed/target-6.html"title="no space between attributes">missing space</a>
        <p><b><i>misnested</b></i> <a href = "/malformed/target-7.html" >spaces around the equals sign</a>
        </p></p></p>
        <div>the document ends without closing its tags

        """

    /// Paths of the links a recovering parser finds, in document order.
    static var linkPaths: [String] { (1...targetCount).map { "/malformed/target-\($0).html" } }
}
