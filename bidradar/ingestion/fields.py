"""The raw-to-clean field mapping, in one place.

The raw layer keeps G2B's own field names (`bidClseDt`); normalized tables use clear English names
(`bid_close_at`). Every raw field of the notice operations is either mapped here or dropped here with a
reason, and a test holds the specs and the real sample to that.

Types: "str", "int" (won amounts, counts), "float" (rates, %), "datetime" (KST, naive), "bool" (Y/N).
"""

from __future__ import annotations

from typing import Literal

FieldType = Literal["str", "int", "float", "datetime", "bool"]

# Category codes in operation names -> the English category stored in normalized tables.
CATEGORIES: dict[str, str] = {"Thng": "goods", "Servc": "services", "Cnstwk": "construction", "Frgcpt": "foreign"}
CATEGORY_KO: dict[str, str] = {"goods": "물품", "services": "용역", "construction": "공사", "foreign": "외자"}

# --- bid_notices (getBidPblancListInfo{Thng,Servc,Cnstwk,Frgcpt}) ------------------------------------------------
NOTICE_FIELDS: dict[str, tuple[str, FieldType]] = {
    "bidNtceNo": ("notice_no", "str"),
    "bidNtceOrd": ("notice_order", "str"),
    "ntceKindNm": ("notice_kind", "str"),
    "reNtceYn": ("is_renotice", "bool"),
    "intrbidYn": ("is_international", "bool"),
    "bidNtceNm": ("title", "str"),
    "ntceInsttCd": ("notice_agency_code", "str"),
    "ntceInsttNm": ("notice_agency_name", "str"),
    "dminsttCd": ("demand_agency_code", "str"),
    "dminsttNm": ("demand_agency_name", "str"),
    "bidMethdNm": ("bid_method", "str"),
    "cntrctCnclsMthdNm": ("contract_method", "str"),
    "sucsfbidMthdNm": ("award_method", "str"),
    "prearngPrceDcsnMthdNm": ("price_decision_method", "str"),
    "totPrdprcNum": ("reserve_price_count", "int"),
    "drwtPrdprcNum": ("drawn_price_count", "int"),
    "sucsfbidLwltRate": ("lower_limit_rate", "float"),
    "asignBdgtAmt": ("budget_amount", "int"),
    "bdgtAmt": ("budget_amount", "int"),  # 공사 spells the budget differently
    "presmptPrce": ("estimated_price", "int"),
    "VAT": ("vat_amount", "int"),
    "rgstDt": ("registered_at", "datetime"),
    "bidNtceDt": ("notice_at", "datetime"),
    "bidBeginDt": ("bid_begin_at", "datetime"),
    "bidClseDt": ("bid_close_at", "datetime"),
    "opengDt": ("opening_at", "datetime"),
    "bidQlfctRgstDt": ("qualification_deadline_at", "datetime"),
    "chgDt": ("changed_at", "datetime"),
    "chgNtceRsn": ("change_reason", "str"),
    "indstrytyLmtYn": ("is_license_limited", "bool"),
    "bidPrtcptLmtYn": ("is_participation_limited", "bool"),
    "arsltCmptYn": ("is_track_record_limited", "bool"),  # 실적제한: the only case where the track record bars
    "rgnLmtBidLocplcJdgmBssNm": ("region_limit_basis", "str"),  # stated 지역제한 basis: rows are expected
    "cnstrtsiteRgnNm": ("construction_site_region", "str"),
    "pubPrcrmntClsfcNo": ("classification_no", "str"),
    "pubPrcrmntClsfcNm": ("classification_name", "str"),
    "pubPrcrmntLrgClsfcNm": ("classification_large", "str"),
    "pubPrcrmntLrgclsfcNm": ("classification_large", "str"),  # the spec's spelling; the live API sends the one above
    "pubPrcrmntMidClsfcNm": ("classification_mid", "str"),
    "pubPrcrmntMidclsfcNm": ("classification_mid", "str"),
    "dtilPrdctClsfcNoNm": ("product_name", "str"),
    "srvceDivNm": ("service_division", "str"),
    "mainCnsttyNm": ("main_work_type", "str"),
    "bidNtceDtlUrl": ("detail_url", "str"),
    "befBidBbancNo": ("previous_notice_no", "str"),  # undocumented, seen in the live API
    "refNo": ("reference_no", "str"),
    "untyNtceNo": ("integrated_notice_no", "str"),
    # Who may bid at all (issue 23): 지명경쟁, 물품분류·제조 limits, 지역의무공동도급.
    "dsgntCmptYn": ("is_designated_competition", "bool"),
    "prdctClsfcLmtYn": ("is_product_class_limited", "bool"),
    "mnfctYn": ("is_manufacturer_required", "bool"),
    "prdctClsfcNo": ("product_class_no", "str"),
    "dtilPrdctClsfcNo": ("product_class_no", "str"),
    "purchsObjPrdctList": ("product_list_raw", "str"),
    "rgnDutyJntcontrctYn": ("is_joint_duty", "bool"),
    "rgnDutyJntcontrctRt": ("joint_duty_share_pct", "float"),
}
# The three 공동도급 의무지역 fields are folded into one text column (joint_duty_regions, ", "-joined).
JOINT_DUTY_REGION_FIELDS = ["jntcontrctDutyRgnNm1", "jntcontrctDutyRgnNm2", "jntcontrctDutyRgnNm3"]
# Attachment file names are folded into one text column (matching reads them; URLs stay in raw).
NOTICE_ATTACHMENT_NAME_FIELDS = [f"ntceSpecFileNm{i}" for i in range(1, 11)]

_PERSONAL = "personal data of agency staff: kept in the raw layer only"
_DETAIL = "procedural detail no product feature uses yet: kept in the raw layer"
_URL = "document URL: kept in the raw layer (file names are in attachment_names)"
_ENVELOPE = "response envelope, not a notice field"
NOTICE_DROPPED: dict[str, str] = {
    **dict.fromkeys(["resultCode", "resultMsg", "numOfRows", "pageNo", "totalCount"], _ENVELOPE),
    **dict.fromkeys(
        [
            "ntceInsttOfclNm",
            "ntceInsttOfclTelNo",
            "ntceInsttOfclEmailAdrs",
            "exctvNm",
            "dminsttOfclEmailAdrs",
            "crdtrNm",
        ],
        _PERSONAL,
    ),
    **dict.fromkeys(
        [f"ntceSpecDocUrl{i}" for i in range(1, 11)]
        + [f"sptDscrptDocUrl{i}" for i in range(1, 6)]
        + ["bidNtceUrl", "stdNtceDocUrl"],
        _URL,
    ),
    **dict.fromkeys(
        [
            "rgstTyNm",
            "cmmnSpldmdAgrmntRcptdocMethd",
            "cmmnSpldmdAgrmntClseDt",
            "cmmnSpldmdCorpRgnLmtYn",
            "rbidPermsnYn",
            "pqApplDocRcptMthdNm",
            "pqApplDocRcptDt",
            "arsltApplDocRcptMthdNm",
            "arsltApplDocRcptDt",
            "dtlsBidYn",
            "govsplyAmt",
            "aplBssCntnts",
            "indstrytyEvlRt",
            "mainCnsttyCnstwkPrearngAmt",
            "incntvRgnNm1",
            "incntvRgnNm2",
            "incntvRgnNm3",
            "incntvRgnNm4",
            "opengPlce",
            "dcmtgOprtnDt",
            "dcmtgOprtnPlce",
            "contrctrcnstrtnGovsplyMtrlAmt",
            "govcnstrtnGovsplyMtrlAmt",
            "bidPrtcptFeePaymntYn",
            "bidPrtcptFee",
            "bidGrntymnyPaymntYn",
            "cmmnSpldmdCnum",
            *[f"subsiCnsttyNm{i}" for i in range(1, 10)],
            *[f"subsiCnsttyIndstrytyEvlRt{i}" for i in range(1, 10)],
            "cmmnSpldmdMethdCd",
            "cmmnSpldmdMethdNm",
            "brffcBidprcPermsnYn",
            "cnsttyAccotShreRateList",
            "cnstrtnAbltyEvlAmtList",
            "pqEvalYn",
            "ntceDscrptYn",
            "rsrvtnPrceReMkngMthdNm",
            "mainCnsttyPresmptPrce",
            "orderPlanUntyNo",
            "bfSpecRgstNo",
            "sucsfbidMthdCd",
            "rbidOpengDt",
            "ciblAplYn",
            "mtltyAdvcPsblYn",
            "mtltyAdvcPsblYnCnstwkNm",
            "indutyVAT",
            "indstrytyMfrcFldEvlYn",
            "bidWgrnteeRcptClseDt",
            "rgnLmtBidLocplcJdgmBssCd",
            "sucsfbidMthdAppStd",
            "tpEvalApplMthdNm",
            "tpEvalApplClseDt",
            "ppswGnrlSrvceYn",
            "tpEvalYn",
            "arsltReqstdocRcptDt",
            "infoBizYn",
            "techAbltEvlRt",
            "bidPrceEvlRt",
            "prdctSno",
            "prdctSpecNm",
            "prdctQty",
            "prdctUnit",
            "prdctUprc",
            "dlvrTmlmtDt",
            "dlvrDaynum",
            "dlvryCndtnNm",
        ],
        _DETAIL,
    ),
    **dict.fromkeys(NOTICE_ATTACHMENT_NAME_FIELDS, "folded into attachment_names"),
    **dict.fromkeys(JOINT_DUTY_REGION_FIELDS, "folded into joint_duty_regions"),
}

# --- notice_base_amounts (getBidPblancListInfo{Thng,Cnstwk,Servc}BsisAmount) -------------------------------------
BASE_AMOUNT_FIELDS: dict[str, tuple[str, FieldType]] = {
    "bidNtceNo": ("notice_no", "str"),
    "bidNtceOrd": ("notice_order", "str"),
    "bssamt": ("base_amount", "int"),
    "rsrvtnPrceRngBgnRate": ("reserve_range_low_pct", "float"),
    "rsrvtnPrceRngEndRate": ("reserve_range_high_pct", "float"),
    "bssamtOpenDt": ("base_amount_published_at", "datetime"),
    "inptDt": ("registered_at", "datetime"),  # 기초금액 rows carry 입력일시, not rgstDt
    # The A값 (공사): with bidPrceCalclAYn = Y the floor is (예정가격 − A) × 하한율 + A. A is the sum of the cost
    # items below; 품질관리비 and 표준시장단가 count only when their own Y/N flag says so. normalize sums them into
    # `a_value` and keeps only that sum.
    "bidPrceCalclAYn": ("a_value_applies", "bool"),
    "npnInsrprm": ("_a_pension", "int"),
    "mrfnHealthInsrprm": ("_a_health", "int"),
    "rtrfundNon": ("_a_retirement", "int"),
    "odsnLngtrmrcprInsrprm": ("_a_longterm_care", "int"),
    "sftyMngcst": ("_a_safety_health", "int"),
    "sftyChckMngcst": ("_a_safety_check", "int"),
    "qltyMngcst": ("_a_quality", "int"),
    "qltyMngcstAObjYn": ("_a_quality_counts", "bool"),
    "smkpAmt": ("_a_standard_price", "int"),
    "smkpAmtYn": ("_a_standard_price_counts", "bool"),
}
A_VALUE_ITEMS = ["_a_pension", "_a_health", "_a_retirement", "_a_longterm_care", "_a_safety_health", "_a_safety_check"]

# --- notice_license_limits (getBidPblancListInfoLicenseLimit) ---------------------------------------------------
LICENSE_LIMIT_FIELDS: dict[str, tuple[str, FieldType]] = {
    "bidNtceNo": ("notice_no", "str"),
    "bidNtceOrd": ("notice_order", "str"),
    "lmtGrpNo": ("group_no", "int"),
    "lmtSno": ("seq_no", "int"),
    "lcnsLmtNm": ("license_limit_raw", "str"),  # "업종명/코드", or the name alone
    "permsnIndstrytyList": ("permitted_industries_raw", "str"),
    "indstrytyMfrcFldList": ("main_fields_raw", "str"),  # 주력분야 "[1^토목^건축],[1^포장]"
    "rgstDt": ("registered_at", "datetime"),
}

# --- notice_region_limits (getBidPblancListInfoPrtcptPsblRgn) ----------------------------------------------------
REGION_LIMIT_FIELDS: dict[str, tuple[str, FieldType]] = {
    "bidNtceNo": ("notice_no", "str"),
    "bidNtceOrd": ("notice_order", "str"),
    "lmtSno": ("seq_no", "int"),
    "prtcptPsblRgnNm": ("region_name", "str"),
    "rgstDt": ("registered_at", "datetime"),
}

# --- bid_results and children (ScsbidInfoService) ----------------------------------------------------------------
AWARD_FIELDS: dict[str, tuple[str, FieldType]] = {
    "bidNtceNo": ("notice_no", "str"),
    "bidNtceOrd": ("notice_order", "str"),
    "bidClsfcNo": ("bid_class_no", "str"),
    "rbidNo": ("rebid_no", "str"),
    "prtcptCnum": ("participant_count", "int"),
    "bidwinnrNm": ("winner_name", "str"),
    "bidwinnrBizno": ("winner_business_no", "str"),
    "sucsfbidAmt": ("winning_amount", "int"),
    "sucsfbidRate": ("winning_rate_pct", "float"),
    "rlOpengDt": ("opened_at", "datetime"),
    "fnlSucsfDate": ("awarded_on", "str"),
    "dminsttCd": ("demand_agency_code", "str"),
    "dminsttNm": ("demand_agency_name", "str"),
    "rgstDt": ("registered_at", "datetime"),
}
OPENING_FIELDS: dict[str, tuple[str, FieldType]] = {
    "bidNtceNo": ("notice_no", "str"),
    "bidNtceOrd": ("notice_order", "str"),
    "bidClsfcNo": ("bid_class_no", "str"),
    "rbidNo": ("rebid_no", "str"),
    "opengDt": ("opened_at", "datetime"),
    "prtcptCnum": ("participant_count", "int"),
    "progrsDivCdNm": ("opening_status", "str"),
    "ntceInsttCd": ("notice_agency_code", "str"),
    "ntceInsttNm": ("notice_agency_name", "str"),
    "dminsttCd": ("demand_agency_code", "str"),
    "dminsttNm": ("demand_agency_name", "str"),
    "inptDt": ("registered_at", "datetime"),
}
RESERVE_PRICE_FIELDS: dict[str, tuple[str, FieldType]] = {
    "bidNtceNo": ("notice_no", "str"),
    "bidNtceOrd": ("notice_order", "str"),
    "bidClsfcNo": ("bid_class_no", "str"),
    "rbidNo": ("rebid_no", "str"),
    "compnoRsrvtnPrceSno": ("price_no", "int"),
    "bsisPlnprc": ("reserve_price", "int"),
    "drwtYn": ("is_drawn", "bool"),
    "drwtNum": ("pick_count", "int"),
    "plnprc": ("planned_price", "int"),
    "bssamt": ("base_amount", "int"),
    "inptDt": ("registered_at", "datetime"),
}
BIDDER_FIELDS: dict[str, tuple[str, FieldType]] = {
    "bidNtceNo": ("notice_no", "str"),
    "bidNtceOrd": ("notice_order", "str"),
    "bidClsfcNo": ("bid_class_no", "str"),
    "rbidNo": ("rebid_no", "str"),
    "opengRank": ("rank", "int"),
    "prcbdrBizno": ("business_no", "str"),
    "prcbdrNm": ("company_name", "str"),
    "bidprcAmt": ("bid_amount", "int"),
    "bidprcrt": ("bid_rate_pct", "float"),
    "drwtNo1": ("pick_1", "int"),
    "drwtNo2": ("pick_2", "int"),
    "rmrk": ("remark", "str"),
}


def raw_fields_for(operation: str) -> list[str]:
    """The raw fields normalization reads from an operation's items (the rest stays in the raw layer only)."""
    if operation.startswith("getBidPblancListInfo"):
        if operation.endswith("BsisAmount"):
            return list(BASE_AMOUNT_FIELDS)
        if operation.endswith("LicenseLimit"):
            return list(LICENSE_LIMIT_FIELDS)
        if operation.endswith("PrtcptPsblRgn"):
            return list(REGION_LIMIT_FIELDS)
        return [*NOTICE_FIELDS, *NOTICE_ATTACHMENT_NAME_FIELDS]
    if operation.startswith("getScsbidListSttus"):
        return list(AWARD_FIELDS)
    if operation.endswith("PreparPcDetail"):
        return list(RESERVE_PRICE_FIELDS)
    if operation.endswith("OpengCompt"):
        return list(BIDDER_FIELDS)
    return list(OPENING_FIELDS)


def _mapping_version() -> str:
    """Changes whenever the fields normalization reads change: columnar copies of older versions are not used."""
    import hashlib
    import json

    ops = [
        "getBidPblancListInfoServc",
        "getBidPblancListInfoServcBsisAmount",
        "getBidPblancListInfoLicenseLimit",
        "getBidPblancListInfoPrtcptPsblRgn",
        "getScsbidListSttusServc",
        "getOpengResultListInfoServcPreparPcDetail",
        "getOpengResultListInfoOpengCompt",
        "getOpengResultListInfoServc",
    ]
    return hashlib.sha1(json.dumps([raw_fields_for(op) for op in ops]).encode()).hexdigest()[:12]


MAPPING_VERSION = _mapping_version()
