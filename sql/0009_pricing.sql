-- Price intelligence (issue 12): the A값 of 공사 notices, the training set of the price model (one row per past
-- opening, features known before bidding only) and the bid recommendations for the open notices of Pro companies.

-- 낙찰하한가 = (예정가격 − A) × 하한율 + A when the notice applies the A-value rule (bidPrceCalclAYn = Y).
ALTER TABLE notice_base_amounts ADD COLUMN a_value_applies BOOLEAN;
-- a_value: 0 without the rule, NULL when unknown.
ALTER TABLE notice_base_amounts ADD COLUMN a_value BIGINT;

-- One row per past opening with a 사정률. Features describe what was known before the bids closed; the agency and
-- competitor statistics come only from openings whose results were known before this notice closed (known_at <
-- cutoff_at). Targets: the 사정률, the winner's margin over the floor and the number of bidders.
CREATE TABLE price_training_set (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    bid_class_no VARCHAR(5) NOT NULL,
    rebid_no VARCHAR(3) NOT NULL,
    cutoff_at TIMESTAMP NOT NULL,          -- the bid close: features use only what was known before it
    known_at TIMESTAMP NOT NULL,           -- when this opening's result became known (its registration)
    opened_at TIMESTAMP,
    category VARCHAR(20) NOT NULL,
    demand_agency_code VARCHAR(20),
    notice_agency_code VARCHAR(20),
    contract_method VARCHAR(100),
    region VARCHAR(40),
    range_pct DOUBLE PRECISION NOT NULL,   -- half width of the 예비가격 range: 2 or 3 (percent)
    reserve_price_count INTEGER,
    drawn_price_count INTEGER,
    base_amount BIGINT NOT NULL,
    log_base_amount DOUBLE PRECISION NOT NULL,
    lower_limit_rate DOUBLE PRECISION NOT NULL,
    lower_limit_source VARCHAR(10) NOT NULL,   -- notice or table
    a_value BIGINT NOT NULL,
    a_share DOUBLE PRECISION NOT NULL,
    month INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    agency_openings INTEGER NOT NULL,              -- earlier openings of the demand agency
    agency_rate_dev_mean DOUBLE PRECISION,         -- their mean (사정률 − 100) / range_pct
    agency_rate_dev_std DOUBLE PRECISION,
    agency_range_openings INTEGER NOT NULL,        -- earlier openings of the agency with the same range
    agency_range_rate_mean DOUBLE PRECISION,       -- their mean 사정률
    agency_log_bidders_mean DOUBLE PRECISION,      -- earlier competitor density: mean log(1 + bidders)
    agency_near_floor_mean DOUBLE PRECISION,       -- mean number of bids within 0.5 percent above the floor
    agency_margin_mean DOUBLE PRECISION,           -- mean winner's margin over the floor (percent)
    notice_agency_openings INTEGER NOT NULL,
    notice_agency_rate_dev_mean DOUBLE PRECISION,
    category_log_bidders_mean DOUBLE PRECISION,    -- the same density for the category and range, as a fallback
    category_near_floor_mean DOUBLE PRECISION,
    assessment_rate_pct DOUBLE PRECISION NOT NULL, -- target: 사정률
    floor_amount DOUBLE PRECISION NOT NULL,        -- the actual 낙찰하한가 (for the replay)
    winning_amount BIGINT,                         -- the lowest bid at or above the floor (NULL: 유찰)
    winner_margin_pct DOUBLE PRECISION,            -- target: (winning amount / floor − 1) × 100
    bidder_count INTEGER NOT NULL,                 -- target
    near_floor_count INTEGER NOT NULL,
    built_at TIMESTAMP NOT NULL,
    PRIMARY KEY (notice_no, notice_order, bid_class_no, rebid_no)
);
CREATE INDEX price_training_set_cutoff ON price_training_set (cutoff_at);

-- Competitor bids by position, pooled per category and range: the density of bids relative to the floor at a
-- 사정률 of 100% (points of the 기초금액). Rebuilt with the training set.
CREATE TABLE price_bid_positions (
    category VARCHAR(20) NOT NULL,
    range_pct DOUBLE PRECISION NOT NULL,
    known_date DATE NOT NULL,              -- the day the openings' results were known (a backtest uses earlier days)
    position_bin INTEGER NOT NULL,         -- round(position × 10): bins of 0.1 point
    bids INTEGER NOT NULL,
    PRIMARY KEY (category, range_pct, known_date, position_bin)
);

-- One row per (Pro company, open notice it may bid on): the recommended amount and its chance of winning.
CREATE TABLE bid_recommendations (
    company_id VARCHAR(80) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    status VARCHAR(20) NOT NULL,           -- model, rules (no agency history), no_base_amount, not_applicable
    method_ko VARCHAR(100) NOT NULL,       -- 모델 / 규칙 기반(기관 이력 없음) / ...
    model_version VARCHAR(40),             -- registered model version that scored it (NULL: rules)
    base_amount BIGINT,
    lower_limit_rate DOUBLE PRECISION,
    a_value BIGINT,
    rate_p10 DOUBLE PRECISION,             -- 사정률 quantiles (percent)
    rate_p50 DOUBLE PRECISION,
    rate_p90 DOUBLE PRECISION,
    planned_price_p10 BIGINT,              -- 예정가격 distribution (won)
    planned_price_p50 BIGINT,
    planned_price_p90 BIGINT,
    floor_p10 BIGINT,                      -- 낙찰하한가 distribution (won)
    floor_p50 BIGINT,
    floor_p90 BIGINT,
    expected_bidders DOUBLE PRECISION,     -- competitors expected
    competitors_near_floor DOUBLE PRECISION, -- of them, expected within 0.5 percent above the median floor
    recommended_amount BIGINT,             -- the amount with the highest chance of being the lowest bid >= floor
    recommended_rate_pct DOUBLE PRECISION, -- the same as a percentage of the 기초금액
    win_probability DOUBLE PRECISION,
    amount_low BIGINT,                     -- amounts whose chance is at least 80 percent of the best
    amount_high BIGINT,
    base_rate DOUBLE PRECISION,            -- 1 / expected bidders (you included)
    explanation_ko TEXT NOT NULL,
    as_of TIMESTAMP NOT NULL,
    scored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, notice_no)
);
