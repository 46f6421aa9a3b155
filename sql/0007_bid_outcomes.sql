-- Results keep every winner: openings, awards, 예비가격 and bidders are stored by their OWN registration day
-- (the final winner is registered days after the opening), and joined into per-opening outcomes downstream.

-- One row per opening, from the opening operations, in the partition of its registration day.
CREATE TABLE bid_openings (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    bid_class_no VARCHAR(5) NOT NULL,
    rebid_no VARCHAR(3) NOT NULL,
    partition_date DATE NOT NULL,
    category VARCHAR(20) NOT NULL,
    opened_at TIMESTAMP,
    opening_status VARCHAR(40),
    notice_agency_code VARCHAR(20),
    demand_agency_code VARCHAR(20),
    demand_agency_name VARCHAR(200),
    participant_count INTEGER,
    registered_at TIMESTAMP,
    PRIMARY KEY (notice_no, notice_order, bid_class_no, rebid_no)
);
CREATE INDEX bid_openings_partition ON bid_openings (partition_date);

-- One row per awarded opening (the final winner), in the partition of the award's registration day.
CREATE TABLE bid_awards (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    bid_class_no VARCHAR(5) NOT NULL,
    rebid_no VARCHAR(3) NOT NULL,
    partition_date DATE NOT NULL,
    category VARCHAR(20) NOT NULL,
    participant_count INTEGER,
    winner_name VARCHAR(200),
    winner_business_no VARCHAR(10),
    winning_amount BIGINT,
    winning_rate_pct DOUBLE PRECISION,
    opened_at TIMESTAMP,
    awarded_on VARCHAR(10),
    demand_agency_code VARCHAR(20),
    demand_agency_name VARCHAR(200),
    registered_at TIMESTAMP,
    PRIMARY KEY (notice_no, notice_order, bid_class_no, rebid_no)
);
CREATE INDEX bid_awards_partition ON bid_awards (partition_date);

-- Every 예비가격 row carries the opening's 예정가격 and 기초금액: keep them, the outcomes read them from here.
ALTER TABLE bid_result_reserve_prices ADD COLUMN planned_price BIGINT;
ALTER TABLE bid_result_reserve_prices ADD COLUMN base_amount BIGINT;

-- Who won is an outcome (bid_outcomes.winner_rank), not a property of a bidder row of the opening's day.
ALTER TABLE bid_result_bidders DROP COLUMN is_winner;

-- Per-opening outcomes, whatever the order in which their parts arrived. `missing` names the parts not yet in
-- the warehouse (notice, opening, award, reserve_prices, bidders); a backfill of that day fills them.
CREATE TABLE bid_outcomes (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    bid_class_no VARCHAR(5) NOT NULL,
    rebid_no VARCHAR(3) NOT NULL,
    opening_partition_date DATE,           -- registration day of the opening (NULL: opening not crawled yet)
    award_partition_date DATE,
    category VARCHAR(20) NOT NULL,
    opened_at TIMESTAMP,
    opening_status VARCHAR(40),
    notice_agency_code VARCHAR(20),
    demand_agency_code VARCHAR(20),
    demand_agency_name VARCHAR(200),
    participant_count INTEGER,
    bidder_count INTEGER,                  -- bidder rows fetched (OpengCompt)
    base_amount BIGINT,                    -- 기초금액
    planned_price BIGINT,                  -- 예정가격
    assessment_rate_pct DOUBLE PRECISION,  -- 사정률 = 예정가격 / 기초금액 × 100
    lower_limit_rate DOUBLE PRECISION,     -- 낙찰하한율 from the notice (NULL while the notice is missing)
    notice_registered_at TIMESTAMP,
    winner_name VARCHAR(200),
    winner_business_no VARCHAR(10),
    winning_amount BIGINT,
    winning_rate_pct DOUBLE PRECISION,
    winner_rank INTEGER,                   -- 개찰순위 of the winner: > 1 when the award passed over rank 1
    opening_registered_at TIMESTAMP,
    award_registered_at TIMESTAMP,
    notice_missing BOOLEAN NOT NULL,
    missing VARCHAR(100),                  -- comma-separated missing parts; NULL when complete
    PRIMARY KEY (notice_no, notice_order, bid_class_no, rebid_no)
);
CREATE INDEX bid_outcomes_notice_missing ON bid_outcomes (notice_missing);

-- bid_results stays readable under its old name and columns, now over the outcomes.
DROP TABLE bid_results;
CREATE VIEW bid_results AS
SELECT notice_no, notice_order, bid_class_no, rebid_no, opening_partition_date AS partition_date, category, opened_at,
       opening_status, notice_agency_code, demand_agency_code, demand_agency_name, participant_count, base_amount,
       planned_price, assessment_rate_pct, lower_limit_rate, winner_name, winner_business_no, winning_amount,
       winning_rate_pct, opening_registered_at AS registered_at
FROM bid_outcomes;

-- Beside the gzipped JSON of each raw page, a columnar copy (Arrow IPC) of the fields normalization reads, written
-- at crawl time where the page is already parsed; normalization reads it unless its mapping_version is stale.
-- (BYTEA: PostgreSQL's binary type; SQLite stores the bytes as a blob under any type name.)
ALTER TABLE g2b_raw_pages ADD COLUMN items_ipc BYTEA;
ALTER TABLE g2b_raw_pages ADD COLUMN mapping_version VARCHAR(16);
