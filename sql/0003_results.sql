-- Results: openings and awards with the price facts that teach the price model.

-- One row per opening (notice, 차수, 분류, 재입찰).
CREATE TABLE bid_results (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    bid_class_no VARCHAR(5) NOT NULL,
    rebid_no VARCHAR(3) NOT NULL,
    partition_date DATE NOT NULL,
    category VARCHAR(20) NOT NULL,
    opened_at TIMESTAMP,
    opening_status VARCHAR(40),            -- 개찰완료, 유찰 ...
    notice_agency_code VARCHAR(20),
    demand_agency_code VARCHAR(20),
    demand_agency_name VARCHAR(200),
    participant_count INTEGER,
    base_amount BIGINT,                    -- 기초금액
    planned_price BIGINT,                  -- 예정가격: the mean of the 4 drawn 예비가격
    assessment_rate_pct DOUBLE PRECISION,  -- 사정률 = 예정가격 / 기초금액 × 100
    lower_limit_rate DOUBLE PRECISION,     -- 낙찰하한율 from the notice
    winner_name VARCHAR(200),
    winner_business_no VARCHAR(10),
    winning_amount BIGINT,
    winning_rate_pct DOUBLE PRECISION,     -- 투찰률 of the winner = amount / 예정가격 × 100
    registered_at TIMESTAMP,
    PRIMARY KEY (notice_no, notice_order, bid_class_no, rebid_no)
);
CREATE INDEX bid_results_partition ON bid_results (partition_date);

-- The 15 예비가격 of an opening and which 4 were drawn.
CREATE TABLE bid_result_reserve_prices (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    bid_class_no VARCHAR(5) NOT NULL,
    rebid_no VARCHAR(3) NOT NULL,
    price_no INTEGER NOT NULL,             -- 1..15, one per slice of the range
    partition_date DATE NOT NULL,
    reserve_price BIGINT NOT NULL,
    is_drawn BOOLEAN NOT NULL,
    pick_count INTEGER,
    PRIMARY KEY (notice_no, notice_order, bid_class_no, rebid_no, price_no)
);
CREATE INDEX bid_result_reserve_prices_partition ON bid_result_reserve_prices (partition_date);

-- Every bidder of an opening.
CREATE TABLE bid_result_bidders (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    bid_class_no VARCHAR(5) NOT NULL,
    rebid_no VARCHAR(3) NOT NULL,
    business_no VARCHAR(10) NOT NULL,
    partition_date DATE NOT NULL,
    rank INTEGER,
    company_name VARCHAR(200),
    bid_amount BIGINT,
    bid_rate_pct DOUBLE PRECISION,         -- 투찰률 = bid amount / 예정가격 × 100
    pick_1 INTEGER,
    pick_2 INTEGER,
    remark VARCHAR(200),
    is_winner BOOLEAN NOT NULL,
    PRIMARY KEY (notice_no, notice_order, bid_class_no, rebid_no, business_no)
);
CREATE INDEX bid_result_bidders_partition ON bid_result_bidders (partition_date);
