/// Ids the writer looked up recently, so a URL met again costs a dictionary lookup instead of
/// an index search. Bounded: emptied when full, so memory stays flat however large the crawl.
/// Only valid for committed rows: `GraphStore.write` empties it when a transaction fails.
struct WriterCaches: Sendable {
    let urlCapacity: Int
    private(set) var urlIDs: [String: Int64] = [:]
    private(set) var hostIDs: [String: Int64] = [:]
    /// The depth of URL ids known to have a frontier row, so re-discovering a URL at the same
    /// depth or deeper costs no SQL at all (only a shorter path needs the row: depth relaxation).
    private(set) var frontierDepths: [Int64: Int] = [:]

    init(urlCapacity: Int) {
        self.urlCapacity = urlCapacity
    }

    func urlID(_ url: String) -> Int64? { urlIDs[url] }

    mutating func remember(url: String, id: Int64) {
        if urlIDs.count >= urlCapacity { urlIDs.removeAll(keepingCapacity: true) }
        urlIDs[url] = id
    }

    func hostID(_ host: String) -> Int64? { hostIDs[host] }

    mutating func remember(host: String, id: Int64) {
        if hostIDs.count >= 10_000 { hostIDs.removeAll(keepingCapacity: true) }
        hostIDs[host] = id
    }

    /// The frontier depth of `urlID`, if remembered.
    func frontierDepth(_ urlID: Int64) -> Int? { frontierDepths[urlID] }

    mutating func rememberInFrontier(_ urlID: Int64, depth: Int) {
        if frontierDepths.count >= urlCapacity { frontierDepths.removeAll(keepingCapacity: true) }
        frontierDepths[urlID] = depth
    }

    mutating func removeAll() {
        urlIDs.removeAll()
        hostIDs.removeAll()
        frontierDepths.removeAll()
    }
}
