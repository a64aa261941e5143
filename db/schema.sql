-- rasd incident store, schema version 2.
-- ACLED-compatible incident columns plus what analysts of Arabic sources need:
-- the source report, the exact character span, the place as the source writes it,
-- the reporting date and who claimed the event.

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS sources (
    source_id      VARCHAR PRIMARY KEY,
    title          VARCHAR NOT NULL,
    outlet         VARCHAR,
    dateline_place VARCHAR,
    published      DATE,
    language       VARCHAR NOT NULL,
    text           VARCHAR NOT NULL,   -- exactly as received (UTF-8)
    sha256         VARCHAR NOT NULL,
    -- version 2: where a report came from (`rasd import report`)
    url            VARCHAR,
    format         VARCHAR,            -- text | markdown | html | telegram | seed
    forwarded_from VARCHAR,            -- Telegram: the channel or user a message was forwarded from
    encoding_note  VARCHAR,            -- e.g. 'converted from Windows-1256 (Arabic)'
    file_name      VARCHAR,            -- the file it was imported from (base name)
    imported_at    TIMESTAMP
);

CREATE TABLE IF NOT EXISTS incidents (
    event_id           VARCHAR NOT NULL,   -- unique; ACLED's event_id_cnty for ACLED rows
    event_date         DATE NOT NULL,
    time_precision     TINYINT,            -- 1 day, 2 week, 3 month (ACLED)
    disorder_type      VARCHAR,
    event_type         VARCHAR NOT NULL,
    sub_event_type     VARCHAR,
    actor1             VARCHAR,
    assoc_actor_1      VARCHAR,
    inter1             VARCHAR,
    actor2             VARCHAR,
    assoc_actor_2      VARCHAR,
    inter2             VARCHAR,
    interaction        VARCHAR,
    civilian_targeting VARCHAR,
    iso                INTEGER,
    region             VARCHAR,            -- ACLED's world region, e.g. Western Africa
    country            VARCHAR,
    admin1             VARCHAR,            -- canonical (ACLED) spelling, see db/places.py
    admin2             VARCHAR,
    admin3             VARCHAR,
    location           VARCHAR,
    latitude           DOUBLE,
    longitude          DOUBLE,
    geo_precision      TINYINT,            -- 1 exact place, 2 near / part of, 3 region only
    source             VARCHAR,            -- ACLED's free-text source list
    source_scale       VARCHAR,
    notes              VARCHAR USING COMPRESSION zstd, -- read a page at a time: FSST cost imports 2 s a million
    fatalities         INTEGER,            -- NULL when the source gives no number
    tags               VARCHAR,
    timestamp          BIGINT,             -- ACLED's last-modified stamp
    dataset            VARCHAR NOT NULL,   -- rasd | acled | ucdp: where the row (and its fatality figure) came from
    source_id          VARCHAR,            -- sources.source_id for coded reports
    span_start         INTEGER,            -- [span_start, span_end) characters of sources.text
    span_end           INTEGER,
    location_ar        VARCHAR,            -- the place as the source writes it
    reported_date      DATE,
    claimed_by         VARCHAR,            -- set when the evidence is a party's own claim
    search_text        VARCHAR USING COMPRESSION zstd, -- folded text for search, see db/folding.py
    -- version 2: proposals (incidents an extractor read from a report, not yet confirmed)
    status             VARCHAR NOT NULL DEFAULT 'coded'
                       CHECK (status IN ('coded', 'proposed', 'rejected')),
    confidence         DOUBLE,             -- a proposal's overall confidence, 0..1
    evidence           VARCHAR             -- JSON {column: {"confidence": c, "spans": [[start, end], ...]}}
);
