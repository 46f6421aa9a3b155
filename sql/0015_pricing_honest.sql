-- Honest price intelligence (issue 22) and every G2B call counted (issue 25 item 8).

-- One ledger of G2B calls per quota day (KST) and operation, shared by every process, run and day: each HTTP
-- request adds one BEFORE it is sent (a page thrown away, a retry or a failed call was still spent). The crawl
-- refuses a call past the day's budget, and the bidder-list plan draws from what is left.
CREATE TABLE g2b_call_ledger (
    quota_day DATE NOT NULL,               -- the KST day the quota counts against (resets at midnight KST)
    operation VARCHAR(100) NOT NULL,
    calls INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (quota_day, operation)
);

-- The training set is rebuilt whole at every run: recreated with competitor counts that may be unknown (NULL, never
-- 0 for "not crawled"), and the time each fact became known.
DROP TABLE price_training_set;
CREATE TABLE price_training_set (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    bid_class_no VARCHAR(5) NOT NULL,
    rebid_no VARCHAR(3) NOT NULL,
    cutoff_at TIMESTAMP NOT NULL,          -- the bid close: features use only what was known before it
    known_at TIMESTAMP NOT NULL,           -- the opening's registration: 사정률 and participant count known from then
    award_known_at TIMESTAMP,              -- the award's own registration (winner, winning amount)
    bidder_list_known_at TIMESTAMP,        -- when the bidder list was fetched (NULL: not fetched)
    opened_at TIMESTAMP,
    opening_status VARCHAR(40),            -- 개찰완료, 유찰, ... (NULL: only the award was crawled)
    category VARCHAR(20) NOT NULL,
    demand_agency_code VARCHAR(20),
    notice_agency_code VARCHAR(20),
    contract_method VARCHAR(100),
    region VARCHAR(40),
    range_pct DOUBLE PRECISION NOT NULL,   -- half width of the 예비가격 range: 2 or 3 (percent)
    range_source VARCHAR(10) NOT NULL,     -- notice (기초금액 operation) or prices (read off the 15 예비가격)
    reserve_price_count INTEGER,
    drawn_price_count INTEGER,
    base_amount BIGINT NOT NULL,
    log_base_amount DOUBLE PRECISION NOT NULL,
    lower_limit_rate DOUBLE PRECISION,         -- NULL: neither the notice nor the dated table gives one
    lower_limit_source VARCHAR(10) NOT NULL,   -- notice, table or unknown
    floor_source VARCHAR(10) NOT NULL,     -- notice: the real floor (the notice's 하한율 and A값); table: estimated
    a_value BIGINT NOT NULL,
    a_share DOUBLE PRECISION NOT NULL,
    month INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    agency_openings INTEGER NOT NULL,
    agency_rate_dev_mean DOUBLE PRECISION,
    agency_rate_dev_std DOUBLE PRECISION,
    agency_range_openings INTEGER NOT NULL,
    agency_range_rate_mean DOUBLE PRECISION,
    agency_counted_openings INTEGER NOT NULL,      -- earlier openings of the agency with a known participant count
    agency_log_bidders_mean DOUBLE PRECISION,      -- their mean log(1 + participants); NULL: unknown
    agency_participants_mean DOUBLE PRECISION,     -- their mean participant count; NULL: unknown
    agency_list_openings INTEGER NOT NULL,         -- earlier openings of the agency with a fetched bidder list
    agency_near_floor_mean DOUBLE PRECISION,       -- from bidder lists only; NULL: unknown
    agency_awarded_openings INTEGER NOT NULL,      -- earlier awards of the agency registered before the cutoff
    agency_margin_mean DOUBLE PRECISION,
    notice_agency_openings INTEGER NOT NULL,
    notice_agency_rate_dev_mean DOUBLE PRECISION,
    category_log_bidders_mean DOUBLE PRECISION,
    category_near_floor_mean DOUBLE PRECISION,
    assessment_rate_pct DOUBLE PRECISION NOT NULL,
    floor_amount DOUBLE PRECISION,                 -- NULL: the 낙찰하한율 is unknown
    winning_amount BIGINT,                         -- NULL: 유찰 or the award not crawled yet
    lowest_valid_bid BIGINT,                       -- lowest bid at or above the floor, from the bidder list
    winner_margin_pct DOUBLE PRECISION,
    participant_count INTEGER,                     -- G2B's prtcptCnum (opening or award list); NULL: unknown
    bidder_count INTEGER,                          -- rows of the fetched bidder list; NULL: list not fetched
    near_floor_count INTEGER,                      -- NULL: list not fetched
    built_at TIMESTAMP NOT NULL,
    PRIMARY KEY (notice_no, notice_order, bid_class_no, rebid_no)
);
CREATE INDEX price_training_set_cutoff ON price_training_set (cutoff_at);

-- The strategy that serves: a model version only when it beat every baseline in the replay with intervals apart,
-- otherwise the best baseline (규칙 기반). Its chance is calibrated by the replay (JSON table of competitor bands).
CREATE TABLE price_serving_strategy (
    strategy VARCHAR(40) NOT NULL,         -- model, agency_mean_floor, floor_at_100, median_margin
    decided_at TIMESTAMP NOT NULL,
    model_version VARCHAR(40),             -- when strategy = model
    replay_openings INTEGER NOT NULL,
    replay_win_rate DOUBLE PRECISION,
    replay_win_rate_low DOUBLE PRECISION,
    replay_win_rate_high DOUBLE PRECISION,
    reason TEXT NOT NULL,
    calibration_json TEXT NOT NULL,        -- [{"competitors_from", "competitors_to", "openings", "wins", "rate", "low", "high"}]
    PRIMARY KEY (strategy)
);

-- Recommendations are rebuilt whole at every run: recreated as the typed record ml.pricing.advice.PriceAdvice.
DROP TABLE bid_recommendations;
CREATE TABLE bid_recommendations (
    company_id VARCHAR(80) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    status VARCHAR(20) NOT NULL,           -- priced, no_base_amount, not_applicable
    strategy VARCHAR(40),                  -- model, agency_mean_floor, floor_at_100, median_margin
    method_ko VARCHAR(100) NOT NULL,       -- 모델 / 규칙 기반(...) / ...
    model_version VARCHAR(40),
    base_amount BIGINT,
    lower_limit_rate DOUBLE PRECISION,
    a_value BIGINT,
    rate_p10 DOUBLE PRECISION,
    rate_p50 DOUBLE PRECISION,
    rate_p90 DOUBLE PRECISION,
    floor_p10 BIGINT,
    floor_p50 BIGINT,
    floor_p90 BIGINT,
    recommended_amount BIGINT,
    recommended_rate_pct DOUBLE PRECISION,
    win_chance DOUBLE PRECISION,           -- calibrated on the replay
    win_chance_low DOUBLE PRECISION,       -- its 95 percent interval
    win_chance_high DOUBLE PRECISION,
    expected_competitors DOUBLE PRECISION, -- NULL: no history to say
    competitors_source VARCHAR(20),        -- agency, category, none
    history_openings INTEGER NOT NULL,     -- the agency's earlier openings the figures come from
    history_counted_openings INTEGER NOT NULL,
    history_rate_mean DOUBLE PRECISION,    -- their mean 사정률
    explanation_ko TEXT NOT NULL,
    as_of TIMESTAMP NOT NULL,
    scored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, notice_no)
);
