import GRDB

/// The link-graph store's schema: its version and the migrations that build it.
///
/// Every URL the crawl meets gets one integer id in `urls`, so pages, links and the frontier
/// are integer-keyed:
///
/// | table | holds |
/// |---|---|
/// | `hosts` | one row per `host[:port]` (`id`, `name`) |
/// | `urls` | one row per normalized URL (`id`, `url` unique, `host_id`) |
/// | `runs` | one row per crawl run (settings JSON, fetch and parse models, started, ended, outcome) |
/// | `pages` | one row per fetched (or failed) URL, keyed by `url_id`: depth, status, content type, bytes, title, canonical, noindex, redirect target, error kind and message, fetch and parse seconds, fetched-at (Unix seconds) |
/// | `links` | one row per distinct (source page, target URL, kind): kind (`LinkKind`: the element, or `redirect`, or `sitemap`), rel (the lower-cased tokens of every occurrence; null when none), nofollow (only when every occurrence is), first non-empty anchor text, count of occurrences, lastmod (a sitemap entry's `<lastmod>` as written; null otherwise) |
/// | `frontier` | one row per URL to crawl: `seq` (discovery order), `url_id` unique, `host_id`, depth (the smallest seen so far), state (0 queued, 1 in flight, 2 done, 3 parked: deeper than `--max-depth` until a shorter path is found), `discovered_by` (a URL id) |
///
/// Version 2 added `frontier.host_id` with the per-host claim index, the parked state, and
/// `pages.nofollow` (the page said `<meta name=robots content=nofollow>`), which the scheduler's
/// depth relaxation needs. Version 3 keys `links` by kind too, with a `rel` column: a pair
/// linked both by `<link rel=next>` and by `<a>` keeps both (version 2 kept the first).
/// Version 4 adds `links.lastmod`, the `<lastmod>` of the sitemap entry a `sitemap` link is.
///
/// The version lives in `PRAGMA user_version`; the file is marked with `PRAGMA application_id`.
public enum GraphSchema {
    /// The newest schema version this build knows.
    public static let currentVersion = 4

    /// `PRAGMA application_id` of a crawler database: "SWCR" in ASCII.
    static let applicationID: Int32 = 0x5357_4352

    /// Frontier states as stored in `frontier.state`.
    package enum FrontierState: Int {
        case queued = 0
        case inFlight = 1
        case done = 2
        /// Found only deeper than `--max-depth`: kept so that a shorter path found later can
        /// queue it (depth relaxation), never claimed while parked.
        case parked = 3
    }

    /// The migrations, oldest first. A migration is never edited once released: add a new one
    /// and bump `currentVersion`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: hosts, urls, runs, pages, links, frontier") { db in
            try db.execute(sql: """
                CREATE TABLE hosts (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE urls (
                    id INTEGER PRIMARY KEY,
                    url TEXT NOT NULL UNIQUE,
                    host_id INTEGER NOT NULL REFERENCES hosts(id)
                );
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    settings TEXT NOT NULL,
                    fetch_model TEXT,
                    parse_model TEXT,
                    started_at REAL NOT NULL,
                    ended_at REAL,
                    outcome TEXT
                );
                CREATE TABLE pages (
                    url_id INTEGER PRIMARY KEY REFERENCES urls(id),
                    run_id INTEGER REFERENCES runs(id),
                    depth INTEGER NOT NULL,
                    status INTEGER,
                    content_type TEXT,
                    bytes INTEGER,
                    title TEXT,
                    canonical_url TEXT,
                    noindex INTEGER NOT NULL DEFAULT 0,
                    redirect_target_id INTEGER REFERENCES urls(id),
                    error_kind TEXT,
                    error_message TEXT,
                    fetch_seconds REAL,
                    parse_seconds REAL,
                    fetched_at REAL NOT NULL
                );
                CREATE TABLE links (
                    source_id INTEGER NOT NULL REFERENCES pages(url_id),
                    target_id INTEGER NOT NULL REFERENCES urls(id),
                    kind TEXT NOT NULL,
                    nofollow INTEGER NOT NULL DEFAULT 0,
                    anchor TEXT,
                    count INTEGER NOT NULL DEFAULT 1,
                    PRIMARY KEY (source_id, target_id)
                ) WITHOUT ROWID;
                CREATE TABLE frontier (
                    seq INTEGER PRIMARY KEY,
                    url_id INTEGER NOT NULL UNIQUE REFERENCES urls(id),
                    depth INTEGER NOT NULL,
                    state INTEGER NOT NULL DEFAULT 0,
                    discovered_by INTEGER REFERENCES urls(id)
                );
                -- Breadth-first claim order; only queued rows are indexed, so the index stays small.
                CREATE INDEX frontier_queued ON frontier(depth, seq) WHERE state = 0;
                CREATE INDEX frontier_in_flight ON frontier(seq) WHERE state = 1;
                PRAGMA user_version = 1;
                """)
        }
        migrator.registerMigration("v2: per-host frontier, parked URLs, page nofollow") { db in
            try db.execute(sql: """
                ALTER TABLE frontier ADD COLUMN host_id INTEGER REFERENCES hosts(id);
                UPDATE frontier SET host_id = (SELECT host_id FROM urls WHERE urls.id = frontier.url_id);
                -- The scheduler claims per host in breadth-first order, and finds hosts with queued work.
                CREATE INDEX frontier_host_queued ON frontier(host_id, depth, seq) WHERE state = 0;
                ALTER TABLE pages ADD COLUMN nofollow INTEGER NOT NULL DEFAULT 0;
                PRAGMA user_version = 2;
                """)
        }
        migrator.registerMigration("v3: every kind a link pair has, with its rel") { db in
            try db.execute(sql: """
                CREATE TABLE links_v3 (
                    source_id INTEGER NOT NULL REFERENCES pages(url_id),
                    target_id INTEGER NOT NULL REFERENCES urls(id),
                    kind TEXT NOT NULL,
                    rel TEXT,
                    nofollow INTEGER NOT NULL DEFAULT 0,
                    anchor TEXT,
                    count INTEGER NOT NULL DEFAULT 1,
                    PRIMARY KEY (source_id, target_id, kind)
                ) WITHOUT ROWID;
                INSERT INTO links_v3 (source_id, target_id, kind, rel, nofollow, anchor, count)
                    SELECT source_id, target_id, kind, NULL, nofollow, anchor, count FROM links;
                DROP TABLE links;
                ALTER TABLE links_v3 RENAME TO links;
                PRAGMA user_version = 3;
                """)
        }
        migrator.registerMigration("v4: the lastmod of sitemap links") { db in
            try db.execute(sql: """
                ALTER TABLE links ADD COLUMN lastmod TEXT;
                PRAGMA user_version = 4;
                """)
        }
        return migrator
    }
}

extension GraphSchema {
    /// The expression that reads a link's `rel` in queries aliasing `links` as `l`: the column,
    /// or NULL in a database of schema 2 or older opened read-only (`stats` and `export` do not
    /// migrate a database; its links have no rel).
    static func linkRelExpression(_ db: Database) throws -> String {
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        return version >= 3 ? "l.rel" : "NULL"
    }
}
