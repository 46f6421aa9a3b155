-- Every write of the warehouse (bidradar.core.warehouse.write) moves its tables' version on in the same
-- transaction: readers (the API, the alerts) can tell which write they read and cache by it.
CREATE TABLE table_versions (
    table_name VARCHAR(100) PRIMARY KEY,
    version BIGINT NOT NULL,
    rows_written BIGINT NOT NULL,
    written_at TIMESTAMP NOT NULL
);
