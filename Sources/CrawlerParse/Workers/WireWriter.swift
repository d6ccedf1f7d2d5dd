import CrawlerCore

/// Appends wire values to a byte buffer.
struct WireWriter {
    var bytes: [UInt8] = []

    /// Starts a frame; `finishFrame` fills in its length.
    mutating func beginFrame(_ type: WireFormat.MessageType) -> Int {
        let start = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0])
        bytes.append(type.rawValue)
        return start
    }

    mutating func finishFrame(startingAt start: Int, trailingBytes: Int = 0) {
        let length = UInt32(bytes.count - start - 4 + trailingBytes)
        bytes[start] = UInt8(truncatingIfNeeded: length)
        bytes[start + 1] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[start + 2] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[start + 3] = UInt8(truncatingIfNeeded: length >> 24)
    }

    mutating func writeByte(_ value: UInt8) { bytes.append(value) }

    mutating func write(varint value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func write(varint value: Int) { write(varint: UInt64(max(0, value))) }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            write(varint: utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func writeOptional(_ string: String?) {
        if let string { writeByte(1); write(string) } else { writeByte(0) }
    }

    /// A URL as its string, then where its host starts and ends, where its path starts and
    /// where its query starts (0: none), as UTF-8 offsets: so the reader rebuilds it without
    /// normalizing again (the normalization is the worker's work, not the parent's).
    mutating func writeURL(_ url: NormalizedURL) {
        write(url.string)
        let offsets = url.offsets
        write(varint: offsets.hostStart)
        write(varint: offsets.hostEnd)
        write(varint: offsets.pathStart)
        write(varint: offsets.queryStart ?? 0)
    }

    mutating func writeOptionalURL(_ url: NormalizedURL?) {
        if let url { writeByte(1); writeURL(url) } else { writeByte(0) }
    }

    mutating func write(_ request: WorkerRequest) {
        bytes.append(contentsOf: writeExceptBody(request))
    }

    /// Writes `request` but for its body's bytes, which must follow on the wire (the frame's
    /// length counts them), and returns the body: so a caller can send it from where it lies.
    /// With `sharedBody`, the frame says the body lies at that range of the worker's shared
    /// ring instead, and nothing follows it (the result is empty).
    mutating func writeExceptBody(_ request: WorkerRequest, sharedBody: Range<Int>? = nil) -> [UInt8] {
        let start: Int
        let body: [UInt8]
        switch request {
        case .parse(let id, let job):
            start = beginFrame(sharedBody == nil ? .parseRequest : .parseSharedRequest)
            write(varint: UInt64(id))
            writeByte(job.testFault?.rawValue ?? 0)
            writeURL(job.url)
            writeOptional(job.headers.contentType)
            body = job.body
        case .echo(let id, let echoed):
            start = beginFrame(sharedBody == nil ? .echoRequest : .echoSharedRequest)
            write(varint: UInt64(id))
            body = echoed
        }
        if let sharedBody {
            precondition(sharedBody.count == body.count, "the shared ring holds \(sharedBody.count) bytes of a \(body.count)-byte body")
            write(varint: sharedBody.lowerBound)
            write(varint: sharedBody.count)
            finishFrame(startingAt: start)
            return []
        }
        write(varint: body.count)
        finishFrame(startingAt: start, trailingBytes: body.count)
        return body
    }

    mutating func write(_ response: WorkerResponse) {
        switch response {
        case .parsed(let id, .success(let page)):
            let start = beginFrame(.parsedResponse)
            write(varint: UInt64(id))
            writeURL(page.url)
            writeOptional(page.title)
            writeOptionalURL(page.canonicalURL)
            writeByte((page.robots.noindex ? 1 : 0) | (page.robots.nofollow ? 2 : 0))
            write(varint: page.links.count)
            for link in page.links {
                let kind = UInt8(LinkKind.allCases.firstIndex(of: link.kind)!)
                writeByte(kind | (link.nofollow ? 0x10 : 0) | (link.rel != nil ? 0x20 : 0))
                writeURL(link.target)
                if let rel = link.rel { write(rel) }
                write(link.anchorText)
            }
            finishFrame(startingAt: start)
        case .parsed(let id, .failure(let error)):
            let start = beginFrame(.failedResponse)
            write(varint: UInt64(id))
            switch error {
            case .notHTML(let url, let mediaType): writeByte(1); write(url); write(mediaType)
            case .workerCrashed(let url, let reason): writeByte(2); write(url); write(reason)
            case .timeout(let url, let seconds): writeByte(3); write(url); write(varint: seconds.bitPattern)
            case .memoryLimit(let url, let megabytes): writeByte(4); write(url); write(varint: megabytes)
            case .unparseable(let url, let reason): writeByte(5); write(url); write(reason)
            case .sitemap(let url, let problem): writeByte(6); write(url); write(problem)  // never sent today: sitemaps parse in the parent
            }
            finishFrame(startingAt: start)
        case .echoed(let id):
            let start = beginFrame(.echoResponse)
            write(varint: UInt64(id))
            finishFrame(startingAt: start)
        case .ready:
            finishFrame(startingAt: beginFrame(.readyResponse))
        }
    }
}
