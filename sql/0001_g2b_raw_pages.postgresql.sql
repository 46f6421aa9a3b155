-- Raw G2B responses, one row per page, kept so that normalization re-runs without crawling again.
-- Dialects differ only in the binary type of the compressed items (SQLite BLOB, PostgreSQL BYTEA).
CREATE TABLE g2b_raw_pages (
    dataset VARCHAR(40) NOT NULL,          -- which asset crawled it: notices, notice_details, results
    partition_date DATE NOT NULL,          -- the daily partition (Asia/Seoul) that owns the page
    operation VARCHAR(80) NOT NULL,        -- G2B operation name, e.g. getBidPblancListInfoServc
    request_key VARCHAR(200) NOT NULL,     -- the query that is paged: inqryDiv and window, or a notice number
    page_no INTEGER NOT NULL,
    total_count INTEGER NOT NULL,          -- the API's totalCount for the request
    item_count INTEGER NOT NULL,
    items_json_gz BYTEA NOT NULL,            -- gzip of the JSON list of items, exactly as received
    fetched_at TIMESTAMP NOT NULL,
    PRIMARY KEY (dataset, partition_date, operation, request_key, page_no)
);
CREATE INDEX g2b_raw_pages_partition ON g2b_raw_pages (partition_date, dataset);
