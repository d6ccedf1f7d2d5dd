import CrawlerCore
import Testing

@testable import CrawlerParse

/// `<meta http-equiv=refresh>` as HTML's declarative refresh steps read it.
@Suite struct MetaRefreshTests {
    @Test(arguments: [
        ("0; url=/next.html", "/next.html"),
        ("0;URL='/quoted.html'", "/quoted.html"),
        ("5, url = \"/spaced.html\" ", "/spaced.html"),
        ("3; http://example.test/bare", "http://example.test/bare"),
        ("1.5;url=/decimal.html", "/decimal.html"),
        (" 0 ; urlish.html", "urlish.html"),
        ("0; url='/unterminated", "/unterminated"),
    ])
    func readsTheURL(content: String, expected: String) {
        #expect(MetaRefresh.url(in: content) == expected)
    }

    @Test(arguments: ["", "5", "0;", "url=/no-delay.html", "soon; url=/x", "0x; url=/x"])
    func namesNoURL(content: String) {
        #expect(MetaRefresh.url(in: content) == nil)
    }

    @Test func aRefreshIsALinkOfItsOwnKind() throws {
        let parsed = try page("""
            <html><head><meta http-equiv="Refresh" content="0; url=moved.html"><meta http-equiv="refresh" content="30">
            <meta http-equiv="content-type" content="text/html; url=/not-a-link"></head></html>
            """)
        #expect(parsed.links.map(\.target.string) == ["http://example.test/dir/moved.html"])
        #expect(parsed.links.map(\.kind) == [.refresh])
        #expect(parsed.links.first?.role == .refresh)
        #expect(parsed.links.first?.role.isFollowedByDefault == true)
    }
}

/// What each link is for decides whether a crawl follows it.
@Suite struct LinkRoleTests {
    @Test(arguments: [
        (LinkKind.a, nil as String?, LinkRole.hyperlink), (.area, nil, .hyperlink), (.iframe, nil, .hyperlink), (.frame, nil, .hyperlink),
        (.link, "next", .hyperlink), (.link, "prev", .hyperlink), (.link, "up index", .hyperlink),
        (.link, "canonical", .canonical), (.link, "alternate", .alternate), (.link, "alternate stylesheet", .resource),
        (.link, "stylesheet", .resource), (.link, "icon", .resource), (.link, "shortcut icon", .resource),
        (.link, "search", .resource), (.link, "preload", .resource), (.link, nil, .resource),
        (.img, nil, .resource), (.script, nil, .resource), (.video, nil, .resource), (.source, nil, .resource), (.embed, nil, .resource),
        (.refresh, nil, .refresh), (.redirect, nil, .redirect), (.sitemap, nil, .sitemap),
    ])
    func classifies(kind: LinkKind, rel: String?, role: LinkRole) {
        #expect(LinkRole(kind: kind, rel: rel) == role)
    }

    @Test func resourcesAndAlternatesAreFollowedOnlyWhenAsked() {
        for role in LinkRole.allCases {
            #expect(role.isFollowed(followResources: true))
            #expect(role.isFollowed(followResources: false) == ![.resource, .alternate].contains(role), "\(role)")
        }
    }

    /// The wire format carries a kind's index in four bits.
    @Test func kindsFitTheWireFormat() {
        #expect(LinkKind.allCases.count <= 16)
    }
}
