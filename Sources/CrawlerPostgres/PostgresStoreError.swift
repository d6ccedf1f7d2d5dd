/// What went wrong with a crawl's PostgreSQL database, and what to do next.
public enum PostgresStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `--db` URL cannot be used.
    case badLocation(String, String)
    /// The server did not answer (not running, wrong host or port, a firewall).
    case unreachable(String, String)
    /// The server refused the user name or password.
    case authentication(String, String)
    /// The database was written by a newer crawler.
    case newerSchema(found: Int, supported: Int, location: String)
    /// The database holds tables that are not a crawler's.
    case notACrawlerDatabase(String)
    /// `--join` of a database in which no crawl started while the node waited.
    case nothingToJoin(String, waitedSeconds: Double)
    /// A new crawl into a database that already holds one.
    case alreadyCrawled(String)
    /// The node could not renew its leases for most of their time: it stopped, so that no
    /// host is fetched by two nodes once its leases lapse.
    case leasesLapsing(location: String, seconds: Double, why: String)
    /// Any other error the server reported.
    case server(String)

    public var description: String {
        switch self {
        case .badLocation(let url, let why): "--db \(url): \(why)"
        case .unreachable(let location, let why):
            "cannot reach PostgreSQL at \(location) (\(why)); check that the server runs and listens there (pg_isready -h HOST -p PORT)"
        case .authentication(let location, let why):
            "PostgreSQL at \(location) refused the login (\(why)); set PGPASSWORD or add a line to ~/.pgpass (HOST:PORT:DBNAME:USER:PASSWORD)"
        case .newerSchema(let found, let supported, let location):
            "\(location) has crawler schema version \(found), newer than this crawler's \(supported); use a newer crawler"
        case .notACrawlerDatabase(let location):
            "\(location) holds tables that are not a crawler's; create an empty database for the crawl (createdb NAME)"
        case .nothingToJoin(let location, let seconds):
            "\(location) holds no crawl to join (waited \(Int(seconds)) s for one to start); start one with crawler crawl SEEDS --db \(location)"
        case .alreadyCrawled(let location):
            "\(location) already holds a crawl; join it with crawler crawl --join --db \(location)"
        case .leasesLapsing(let location, let seconds, let why):
            "this node could not renew its host leases at \(location) for \(Int(seconds)) s (\(why)), so it stopped before another node could take them; its unfinished URLs go back to the queue when its leases lapse. Check the connection to the server, then rejoin with crawler crawl --join --db \(location)"
        case .server(let message): "PostgreSQL: \(message)"
        }
    }
}
