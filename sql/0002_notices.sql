-- Normalized notices and their details. Names are English; the raw-to-clean mapping is bidradar/g2b/fields.py.
-- Times are Korea Standard Time without a zone, as G2B publishes them.

-- One row per notice number: the latest 차수 (notice_order) wins, cancellations are marked.
CREATE TABLE bid_notices (
    notice_no VARCHAR(40) PRIMARY KEY,
    notice_order VARCHAR(3) NOT NULL,
    partition_date DATE NOT NULL,
    revision_key VARCHAR(40) NOT NULL,     -- notice_order + last change time: the newer revision wins
    category VARCHAR(20) NOT NULL,         -- goods (물품), services (용역), construction (공사), foreign (외자)
    notice_kind VARCHAR(40),               -- 등록공고, 정정공고, 취소공고 ...
    is_cancelled BOOLEAN NOT NULL,
    is_renotice BOOLEAN,
    is_international BOOLEAN,
    title TEXT NOT NULL,
    notice_agency_code VARCHAR(20),
    notice_agency_name VARCHAR(200),
    demand_agency_code VARCHAR(20),
    demand_agency_name VARCHAR(200),
    bid_method VARCHAR(100),
    contract_method VARCHAR(100),
    award_method VARCHAR(200),
    price_decision_method VARCHAR(100),
    reserve_price_count INTEGER,
    drawn_price_count INTEGER,
    lower_limit_rate DOUBLE PRECISION,
    budget_amount BIGINT,
    estimated_price BIGINT,
    vat_amount BIGINT,
    registered_at TIMESTAMP NOT NULL,
    notice_at TIMESTAMP,
    bid_begin_at TIMESTAMP,
    bid_close_at TIMESTAMP,
    opening_at TIMESTAMP,
    qualification_deadline_at TIMESTAMP,
    changed_at TIMESTAMP,
    change_reason TEXT,
    is_license_limited BOOLEAN,
    is_participation_limited BOOLEAN,
    construction_site_region VARCHAR(200),
    classification_no VARCHAR(40),
    classification_name VARCHAR(200),
    classification_large VARCHAR(200),
    classification_mid VARCHAR(200),
    product_name VARCHAR(200),
    service_division VARCHAR(100),
    main_work_type VARCHAR(200),
    attachment_names TEXT,
    detail_url TEXT,
    previous_notice_no VARCHAR(40),
    reference_no VARCHAR(200),
    integrated_notice_no VARCHAR(40)
);
CREATE INDEX bid_notices_partition ON bid_notices (partition_date);
CREATE INDEX bid_notices_close ON bid_notices (bid_close_at);

-- 기초금액 and the 예비가격 range (±2% national, ±3% local), per notice revision.
CREATE TABLE notice_base_amounts (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    partition_date DATE NOT NULL,
    category VARCHAR(20) NOT NULL,
    base_amount BIGINT,
    reserve_range_low_pct DOUBLE PRECISION,
    reserve_range_high_pct DOUBLE PRECISION,
    base_amount_published_at TIMESTAMP,
    registered_at TIMESTAMP,
    PRIMARY KEY (notice_no, notice_order)
);
CREATE INDEX notice_base_amounts_partition ON notice_base_amounts (partition_date);

-- 면허제한: rows of one group must all hold (AND); any one group suffices (OR).
CREATE TABLE notice_license_limits (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    group_no INTEGER NOT NULL,
    seq_no INTEGER NOT NULL,
    partition_date DATE NOT NULL,
    license_name VARCHAR(200) NOT NULL,    -- 업종명, e.g. 소프트웨어사업자
    license_code VARCHAR(10),              -- 업종코드, e.g. 1468; NULL when G2B gave the name alone
    license_limit_raw VARCHAR(400) NOT NULL,
    permitted_industries_raw TEXT,
    registered_at TIMESTAMP,
    PRIMARY KEY (notice_no, notice_order, group_no, seq_no)
);
CREATE INDEX notice_license_limits_partition ON notice_license_limits (partition_date);

-- 참가가능지역. A notice whose details were fetched and that has no row here is nationwide; a notice whose
-- details were never fetched is unknown (see notice_detail_fetches), never nationwide.
CREATE TABLE notice_region_limits (
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    seq_no INTEGER NOT NULL,
    partition_date DATE NOT NULL,
    region_name VARCHAR(200) NOT NULL,     -- as published, e.g. 인천광역시 중구
    sido VARCHAR(40) NOT NULL,             -- 시도, e.g. 인천광역시
    sigungu VARCHAR(60),                   -- 시군구, e.g. 중구; NULL when the whole 시도 is allowed
    registered_at TIMESTAMP,
    PRIMARY KEY (notice_no, notice_order, seq_no)
);
CREATE INDEX notice_region_limits_partition ON notice_region_limits (partition_date);

-- Which partitions' license and region details were fetched completely: the difference between
-- "no limit" and "unknown".
CREATE TABLE notice_detail_fetches (
    partition_date DATE PRIMARY KEY,
    license_limits_complete BOOLEAN NOT NULL,
    region_limits_complete BOOLEAN NOT NULL,
    base_amounts_complete BOOLEAN NOT NULL,
    fetched_at TIMESTAMP NOT NULL
);
