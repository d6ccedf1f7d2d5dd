/// The crawl's tables on PostgreSQL: those of the SQLite store (`GraphSchema`), with `bigint`
/// ids, plus what a fleet of crawler processes needs:
///
/// | table | holds |
/// |---|---|
/// | `crawler_schema` | one row: the schema version (like SQLite's `user_version`) |
/// | `nodes` | one row per crawler process that joined: name (host and pid), started, last heartbeat, pages stored, left |
/// | `hosts` | as in SQLite, plus the host's lease: `lease_node` and `lease_until` (server time), and `free_at`: no node takes the lease before it (the `--delay` after the last holder handed it back) |
/// | `frontier` | as in SQLite, plus `node_id`: which node holds an in-flight URL |
///
/// A node fetches a host only while it holds the host's lease, so `--per-host`, `--delay` and
/// Crawl-delay hold across the fleet; a node that stops renewing (killed, cut off) loses its
/// leases when they expire, and its in-flight URLs go back to the queue.
public enum PostgresSchema {
    /// The newest schema version this build knows.
    public static let currentVersion = 3

    /// The migrations, oldest first: migration `n` brings version `n - 1` to `n`. Never edit a
    /// released one.
    static let migrations: [String] = [
        """
        CREATE TABLE crawler_schema (version integer NOT NULL);
        INSERT INTO crawler_schema VALUES (0);
        CREATE TABLE nodes (
            id bigserial PRIMARY KEY,
            name text NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            seen_at timestamptz NOT NULL DEFAULT now(),
            left_at timestamptz,
            pages bigint NOT NULL DEFAULT 0
        );
        CREATE TABLE hosts (
            id bigserial PRIMARY KEY,
            name text NOT NULL UNIQUE,
            lease_node bigint REFERENCES nodes(id),
            lease_until timestamptz,
            free_at timestamptz
        );
        CREATE TABLE urls (
            id bigserial PRIMARY KEY,
            url text NOT NULL UNIQUE,
            host_id bigint NOT NULL REFERENCES hosts(id)
        );
        CREATE TABLE runs (
            id bigserial PRIMARY KEY,
            node_id bigint REFERENCES nodes(id),
            settings text NOT NULL,
            fetch_model text,
            parse_model text,
            started_at double precision NOT NULL,
            ended_at double precision,
            outcome text
        );
        CREATE TABLE pages (
            url_id bigint PRIMARY KEY REFERENCES urls(id),
            run_id bigint REFERENCES runs(id),
            node_id bigint REFERENCES nodes(id),
            depth integer NOT NULL,
            status integer,
            content_type text,
            bytes bigint,
            title text,
            canonical_url text,
            noindex boolean NOT NULL DEFAULT false,
            redirect_target_id bigint REFERENCES urls(id),
            error_kind text,
            error_message text,
            fetch_seconds double precision,
            parse_seconds double precision,
            fetched_at double precision NOT NULL,
            nofollow boolean NOT NULL DEFAULT false
        );
        CREATE TABLE links (
            source_id bigint NOT NULL REFERENCES pages(url_id),
            target_id bigint NOT NULL REFERENCES urls(id),
            kind text NOT NULL,
            nofollow boolean NOT NULL DEFAULT false,
            anchor text,
            count integer NOT NULL DEFAULT 1,
            PRIMARY KEY (source_id, target_id)
        );
        CREATE TABLE frontier (
            seq bigserial PRIMARY KEY,
            url_id bigint NOT NULL UNIQUE REFERENCES urls(id),
            host_id bigint NOT NULL REFERENCES hosts(id),
            depth integer NOT NULL,
            state smallint NOT NULL DEFAULT 0,
            discovered_by bigint REFERENCES urls(id),
            node_id bigint REFERENCES nodes(id)
        );
        CREATE INDEX frontier_host_queued ON frontier (host_id, depth, seq) WHERE state = 0;
        CREATE INDEX frontier_in_flight ON frontier (node_id) WHERE state = 1;
        UPDATE crawler_schema SET version = 1;
        """,
        // 2: every kind a link pair has, with its rel (as SQLite's schema 3).
        """
        ALTER TABLE links ADD COLUMN rel text;
        ALTER TABLE links DROP CONSTRAINT links_pkey;
        ALTER TABLE links ADD PRIMARY KEY (source_id, target_id, kind);
        UPDATE crawler_schema SET version = 2;
        """,
        // 3: the lastmod of sitemap links (as SQLite's schema 4).
        """
        ALTER TABLE links ADD COLUMN lastmod text;
        UPDATE crawler_schema SET version = 3;
        """,
    ]

    /// The tables a crawler database has; any other table makes it not a crawler's.
    static let tables: Set<String> = ["crawler_schema", "nodes", "hosts", "urls", "runs", "pages", "links", "frontier"]
}
