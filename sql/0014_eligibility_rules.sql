-- Issue 23: who may bid at all (지명경쟁, 물품분류·제조, 지역의무공동도급) and the issuer's kind (from the agency code).

-- The notice fields these rules read (G2B names in bidradar/ingestion/fields.py).
-- dsgntCmptYn
ALTER TABLE bid_notices ADD COLUMN is_designated_competition BOOLEAN;
-- prdctClsfcLmtYn
ALTER TABLE bid_notices ADD COLUMN is_product_class_limited BOOLEAN;
-- mnfctYn
ALTER TABLE bid_notices ADD COLUMN is_manufacturer_required BOOLEAN;
-- prdctClsfcNo / dtilPrdctClsfcNo
ALTER TABLE bid_notices ADD COLUMN product_class_no VARCHAR(20);
-- purchsObjPrdctList
ALTER TABLE bid_notices ADD COLUMN product_list_raw TEXT;
-- rgnDutyJntcontrctYn
ALTER TABLE bid_notices ADD COLUMN is_joint_duty BOOLEAN;
-- jntcontrctDutyRgnNm1..3, ", "-joined
ALTER TABLE bid_notices ADD COLUMN joint_duty_regions TEXT;
-- rgnDutyJntcontrctRt
ALTER TABLE bid_notices ADD COLUMN joint_duty_share_pct DOUBLE PRECISION;

-- One reason code per new rule (bidradar.matching.explain.REASONS; 30-39 = conditional) and their facts.
ALTER TABLE hard_matches ADD COLUMN designation_reason SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE hard_matches ADD COLUMN product_reason SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE hard_matches ADD COLUMN joint_reason SMALLINT NOT NULL DEFAULT 0;
-- the 물품분류번호 the notice limits to
ALTER TABLE hard_matches ADD COLUMN product_detail TEXT;
-- the 공동도급 의무지역 and the local share
ALTER TABLE hard_matches ADD COLUMN joint_detail TEXT;

ALTER TABLE hard_match_summary ADD COLUMN conditional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hard_match_summary ADD COLUMN fail_designation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hard_match_summary ADD COLUMN fail_product INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hard_match_summary ADD COLUMN fail_joint INTEGER NOT NULL DEFAULT 0;
