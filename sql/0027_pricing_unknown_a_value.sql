-- An unknown A값 is not 0 (issue 22): where the A값 rule applies (or may apply) and A is not published, the floor is
-- unknown (NULL) and so are a_value and a_share. The training set is rebuilt whole at every run: recreated.
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
    floor_source VARCHAR(10) NOT NULL,     -- notice: the real floor (G2B's 하한율 and a known A); table: estimated
    a_value BIGINT,                        -- the A of the floor (bidradar.rules.a_value); NULL: the rule applies or may
    a_share DOUBLE PRECISION,              -- apply and A is not published: the floor is unknown, never computed with 0
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
    floor_amount DOUBLE PRECISION,                 -- NULL: the 낙찰하한율 or the A is unknown
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
