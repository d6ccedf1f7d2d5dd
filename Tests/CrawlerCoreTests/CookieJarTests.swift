import CrawlerCore
import Testing

/// Netscape cookie files as curl and browser extensions write them.
struct CookieJarTests {
    @Test func cookieLinesAreKeptAndCommentsDropped() throws {
        let file = """
            # Netscape HTTP Cookie File\r
            # https://curl.se/docs/http-cookies.html\r
            \r
            127.0.0.2\tFALSE\t/\tFALSE\t0\tsession\tabc\r
            #HttpOnly_.example.test\tTRUE\t/docs\tTRUE\t2000000000\tid\t42
            """
        let jar = try CookieJar(netscapeFile: file, path: "jar.txt")
        #expect(jar.lines == ["127.0.0.2\tFALSE\t/\tFALSE\t0\tsession\tabc", "#HttpOnly_.example.test\tTRUE\t/docs\tTRUE\t2000000000\tid\t42"])
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let jar = try CookieJar(netscapeFile: "\u{FEFF}h.test\tFALSE\t/\tFALSE\t0\ta\tb\n", path: "jar.txt")
        #expect(jar.lines == ["h.test\tFALSE\t/\tFALSE\t0\ta\tb"])
    }

    /// curl reads a line of 6 fields as a cookie with an empty value (its trailing tab lost).
    @Test func aCookieWithAnEmptyValueMayLackItsLastTab() throws {
        let jar = try CookieJar(netscapeFile: "h.test\tFALSE\t/\tFALSE\t0\tempty\nh.test\tFALSE\t/\tFALSE\t0\tblank\t\n", path: "jar.txt")
        #expect(jar.lines == ["h.test\tFALSE\t/\tFALSE\t0\tempty\t", "h.test\tFALSE\t/\tFALSE\t0\tblank\t"])
    }

    @Test(arguments: [
        ("h.test\tFALSE\t/\tFALSE\t0", "line 1 of jar.txt is not a cookie: a Netscape cookie line has 7 fields"),
        ("h.test FALSE / FALSE 0 a b", "line 1 of jar.txt is not a cookie: a Netscape cookie line has 7 fields"),
        ("# comment\nh.test\tFALSE\t/\tFALSE\tsoon\ta\tb", "line 2 of jar.txt is not a cookie: it needs a domain and a whole number of seconds"),
        ("\tFALSE\t/\tFALSE\t0\ta\tb", "line 1 of jar.txt is not a cookie: it needs a domain"),
        ("h.test\tFALSE\t/\tFALSE\t0\ta\tb\u{7}", "line 1 of jar.txt holds a control character"),
    ])
    func aLineThatIsNotACookieIsNamed(file: String, message: String) {
        #expect {
            _ = try CookieJar(netscapeFile: file, path: "jar.txt")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func anEmptyFileIsAnEmptyJar() throws {
        #expect(try CookieJar(netscapeFile: "", path: "jar.txt").lines.isEmpty)
        #expect(CookieJar().lines.isEmpty)
    }
}
