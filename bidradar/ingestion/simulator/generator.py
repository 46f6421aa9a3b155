"""Seeded, lazy generator of realistic G2B notices, 기초금액, limits and bid results.

Everything is a pure function of ``(seed, day)``: the notices registered on an Asia/Seoul day are generated
on first use and cached (LRU), so any window asked in any order returns the same rows. Later events of a
notice (정정/취소 차수, 기초금액, opening, award) are generated together with the notice on its origin day
and indexed by the day on which they happen, so a window on day D looks back a bounded number of origin
days (``_LOOKBACK``).

Memory: a results window looks back ~45 origin days (awards come up to 43 days after the notice). For those days
the generator keeps only each opening's ``Outcome`` (when it is registered and awarded, the notice's few facts it
is served with, and the random state its bidders were drawn from) and makes a ``Result`` again from it when a page
asks for one: the same draws from the same state, so the same bytes. Full notices are kept for the days the notice
windows look back on.

Money model (적격심사, 복수예비가격), see shared/reference/g2b/README.md:
- 15 예비가격, one uniform draw per slice of the [bssamt*(1+lo%), bssamt*(1+hi%)] range;
- every bidder picks 2 of the 15; the 4 most picked are drawn; 예정가격 = floor(mean of the 4 drawn);
- picks follow ``softmax(bias[agency] * x + notice noise)`` with x the slice position in [-1, 1]; the agency
  bias is small (``AGENCY_BIAS_SD``), so the 사정률 (예정가격/기초금액) is mostly the irreducible noise of the draw,
  as on the real G2B; ``noise_floor()`` says how large that noise is (the price report compares against it);
- 낙찰하한율 from the dated table of ``bidradar.rules.rates`` (issuer, amount band, date);
- each bidder bids 하한율 × its own guess of the 예정가격 plus a small margin, so about half land below the real
  floor and, with hundreds of bidders, the lowest bid above it sits a hair above the floor;
- 낙찰하한가 = (예정가격 − A) × 하한율/100 + A (A = 0 unless the 공사 uses the A-value rule); the lowest bid at or
  above it ranks first (ties by lottery) and usually wins, but sometimes fails 적격심사 and the award passes
  over it. The award is registered 0–10 working days after the opening (``AWARD_LAG_WORKING_DAYS``).
- 협상에의한계약 and 외자 (비예가) are opened and awarded too, without 예비가격: 외자 to the lowest bid, 협상 to
  the best negotiated offer (not always the lowest).

docs/simulator.md lists every market statistic with its real target, source and measured value.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from bidradar.core.clock import KST
from bidradar.rules import floor, rates

from . import eligibility
from .fields import project
from .vocab import (
    AGENCIES,
    CLASSIFICATIONS,
    COMPANY_STEMS,
    COMPANY_SUFFIXES,
    GIVEN_NAME_SYLLABLES,
    REGIONS,
    SURNAMES,
    TITLES,
    Agency,
)

# Korea has no DST, so a fixed offset is exact and needs no tzdata on the host.

CATEGORIES = ("Thng", "Servc", "Cnstwk", "Frgcpt")
# 용역 is the largest stream (~1,500 a day of ~3,600, shared/reference/g2b/README.md); 외자 about 1%.
CATEGORY_SHARES = (0.27, 0.42, 0.30, 0.01)
# random.choices accumulates its weights on every call; given the same sums as ``cum_weights`` it draws the same.
_CATEGORY_CUM_SHARES = list(itertools.accumulate(CATEGORY_SHARES))
BSNS_DIV_NM = {"Thng": "물품", "Servc": "용역", "Cnstwk": "공사", "Frgcpt": "외자"}
# log-normal 추정가격 (median won, sigma); 공사 is the largest.
AMOUNT_LOGNORMAL = {"Thng": (45e6, 1.1), "Servc": (80e6, 1.2), "Cnstwk": (320e6, 1.3), "Frgcpt": (250e6, 1.0)}
# share of notices priced by 적격심사 + 복수예가 (the rest: 협상에의한계약 / 외자 최저가, both 비예가)
PRICED_SHARE = {"Thng": 0.85, "Servc": 0.6, "Cnstwk": 0.95, "Frgcpt": 0.0}
LICENSE_SHARE = {"Thng": 0.25, "Servc": 0.6, "Cnstwk": 0.92, "Frgcpt": 0.0}
# A값 is the rule for most small 적격심사 공사 (국민연금·건강보험·퇴직공제·안전관리비 … are fixed costs).
A_RULE_SHARE_BELOW_100EOK = 0.88
A_RULE_SHARE_ABOVE = 0.4
# 사정률 = mostly draw noise: a 수요기관's pick bias is small (R² of the agency mean ~0.1).
AGENCY_BIAS_SD = 0.05  # with hundreds of bidders the 4 most picked follow the bias closely
NOTICE_PICK_NOISE_SD = 0.15
# Bidders per opening: log-normal with a median by category falling with the amount (small 공사/용역: hundreds).
BIDDER_MEDIAN = {"Cnstwk": 320.0, "Servc": 110.0, "Thng": 30.0}
BIDDER_AMOUNT_ELASTICITY = -0.35  # median × (추정가격 / 1억) ** elasticity
BIDDER_SIGMA = 0.6
POOL_SIZES = {"Cnstwk": 4000, "Servc": 2500, "Thng": 1500, "Frgcpt": 300}
NEGOTIATED_BIDDER_MEDIAN = {"Servc": 4.0, "Thng": 4.0, "Cnstwk": 5.0, "Frgcpt": 3.0}
# 적격심사: the first-ranked bidder fails the review this often, and the award passes over it.
RANK1_FAILS_SHARE = 0.08
AWARD_LAG_WORKING_DAYS = (0, 10)
# Cost items of the 기초금액 that make up the A value when bidPrceCalclAYn == "Y" (공사 only).
A_ITEMS = (
    "npnInsrprm",
    "mrfnHealthInsrprm",
    "rtrfundNon",
    "odsnLngtrmrcprInsrprm",
    "sftyMngcst",
    "sftyChckMngcst",
    "qltyMngcst",
)
_A_ITEM_SHARES = (0.011, 0.009, 0.005, 0.0012, 0.016, 0.003, 0.004)

HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 2, 6, 12, 14, 13, 7, 9, 13, 14, 12, 9, 5, 2.5, 1.8, 1.5, 1.2, 1]
CLOSE_HOURS = (10, 10, 11, 11, 14, 15, 16, 17, 18)
MAX_REVISION_LAG_DAYS = 7
MAX_BSIS_LAG_DAYS = 3
# close ≤ 20 days + 정정 extension ≤ 5 days + opening/registration ≤ 1 day
MAX_RESULT_LAG_DAYS = 27
# … + the award's 10 working days (≤ 14 calendar days, 16 with a weekend either side)
MAX_AWARD_LAG_DAYS = MAX_RESULT_LAG_DAYS + 16
_LOOKBACK = {
    "notice": MAX_REVISION_LAG_DAYS,
    "license": MAX_REVISION_LAG_DAYS,
    "region": MAX_REVISION_LAG_DAYS,
    "bsis": MAX_BSIS_LAG_DAYS,
    "result": MAX_RESULT_LAG_DAYS,
    "award": MAX_AWARD_LAG_DAYS,
}
SLICES = 15
DRAWN = 4
_SLICE_POSITIONS = np.linspace(-1.0, 1.0, SLICES)  # x of the pick bias, one per 예비가격 slice


_TWO_DIGITS = tuple(f"{i:02d}" for i in range(60))


def fmt_dt(dt: datetime, seconds: bool = True) -> str:
    """``%Y-%m-%d %H:%M:%S`` (or without seconds), pieced from the fields: a crawl formats every bidder's time,
    millions in a simulated month, and ``strftime`` (or ``isoformat``) of a ZoneInfo time costs several times as
    much. The same characters for the years 1000–9999."""
    two = _TWO_DIGITS
    day = f"{dt.year}-{two[dt.month]}-{two[dt.day]} {two[dt.hour]}:{two[dt.minute]}"
    return f"{day}:{two[dt.second]}" if seconds else day


def bizno_check_digit(first9: str) -> int:
    """Standard 사업자등록번호 checksum (weights 1,3,7,1,3,7,1,3,5 plus the carry of the 9th digit)."""
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    digits = [int(c) for c in first9]
    total = sum(d * w for d, w in zip(digits, weights, strict=True)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def bizno_is_valid(bizno: str) -> bool:
    return len(bizno) == 10 and bizno.isdigit() and bizno_check_digit(bizno[:9]) == int(bizno[9])


# Notice numbers are one running sequence per year (R26BK01156411): other systems' notices take numbers in
# between, so ours advance by 1–3 (NUMBER_STRIDE) and the sequence does not spell out the day.
NUMBER_STRIDE = 3
NUMBER_START = 1_000


def _stride_offset(day: date, idx: int) -> int:
    return (idx * 2_654_435_761 + day.toordinal()) % NUMBER_STRIDE


def _parse_number(bid_ntce_no: str) -> tuple[int, int] | None:
    """(year, sequence) of a 13-character notice number, or None."""
    if len(bid_ntce_no) != 13 or not bid_ntce_no.startswith("R") or bid_ntce_no[3:5] != "BK":
        return None
    try:
        return 2000 + int(bid_ntce_no[1:3]), int(bid_ntce_no[5:])
    except ValueError:
        return None


@dataclass
class Company:
    name: str
    bizno: str
    ceo: str
    address: str
    tel: str


_SHARED_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}  # one key tuple per set of fields


_UNIT = "\x1f"  # ASCII unit separator: no G2B field value holds it (checked when a version is made)


class Version:
    """One 차수 of a notice as published; ``values`` holds the non-empty response fields.

    Kept as the UTF-8 of the values joined by a separator, beside a key tuple shared by every version with the same
    fields: the simulator holds every notice of the ~45 days a results day looks back on, and 60-odd small strings
    cost ~5.6 KB a version where their UTF-8 costs ~1.5 KB (a dict of them ~2 KB more)."""

    __slots__ = ("_keys", "_values", "chg", "ord", "rgst")

    def __init__(self, ord: str, rgst: datetime, chg: datetime | None, values: dict[str, str]) -> None:
        self.ord, self.rgst, self.chg = ord, rgst, chg
        keys = tuple(values)
        self._keys = _SHARED_KEYS.setdefault(keys, keys)
        joined = _UNIT.join(values.values())
        if joined.count(_UNIT) != len(keys) - 1:
            raise ValueError(f"a field value of notice version {ord} holds the separator U+001F")
        self._values = joined.encode()

    @property
    def values(self) -> dict[str, str]:
        return dict(zip(self._keys, self._values.decode().split(_UNIT), strict=True))

    def value(self, name: str) -> str:
        """One field's value, without the dict of all of them."""
        return self._values.decode().split(_UNIT)[self._keys.index(name)]


@dataclass
class Notice:
    no: str
    category: str
    ntce: Agency
    dminstt: Agency
    rgst: datetime
    close: datetime  # effective (after any 정정)
    openg: datetime
    priced: bool
    cancelled: bool
    presmpt: int
    versions: list[Version]
    bssamt: int | None = None
    rate_lo: float = 0.0
    rate_hi: float = 0.0
    lwlt: float | None = None
    a_value: int = 0
    bsis: Version | None = None
    licenses: list[dict[str, str]] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    truth: dict = field(default_factory=dict)  # what the limits really require (eligibility.emit_cases)

    def core(self) -> NoticeCore:
        """The facts its opening and award are made from and served with (after its last 차수)."""
        last = self.versions[-1]
        return NoticeCore(
            no=self.no,
            category=self.category,
            ntce=self.ntce,
            dminstt=self.dminstt,
            rgst=self.rgst,
            close=self.close,
            openg=self.openg,
            priced=self.priced,
            presmpt=self.presmpt,
            bssamt=self.bssamt,
            rate_lo=self.rate_lo,
            rate_hi=self.rate_hi,
            lwlt=self.lwlt,
            a_value=self.a_value,
            ord=last.ord,
            title=last.value("bidNtceNm"),
        )


@dataclass(frozen=True, slots=True)
class NoticeCore:
    """A notice as its opening and award know it: dates, money, agencies, its last 차수's number and title
    (``NoticeGenerator.notice`` gives the whole notice: every 차수, limits, 기초금액 rows)."""

    no: str
    category: str
    ntce: Agency
    dminstt: Agency
    rgst: datetime
    close: datetime
    openg: datetime
    priced: bool
    presmpt: int
    bssamt: int | None
    rate_lo: float
    rate_hi: float
    lwlt: float | None
    a_value: int
    ord: str
    title: str


@dataclass(slots=True)
class Bidder:
    company: Company
    amount: int
    rate: float
    picks: tuple[int, int]  # 1-based 예비가격 numbers
    bid_dt: datetime
    rank: int = 0
    below_floor: bool = False


@dataclass
class Result:
    """One opening. Bidders are kept as arrays (cheap); ``bidders``/``winner`` build objects on demand."""

    notice: NoticeCore
    ord: str
    rl_openg: datetime
    rgst: datetime
    prices: list[int]
    pick_counts: list[int]
    drawn: list[int]  # 0-based slice indexes
    plnprc: int
    floor_amount: float
    pool: list[Company]
    company_idx: np.ndarray
    amounts: np.ndarray
    picks: np.ndarray  # (n, 2), 0-based
    bid_offsets: np.ndarray  # seconds before the close
    rank_order: np.ndarray  # bidder indexes in 개찰순위 order
    n_qualified: int
    award_rgst: datetime | None = None  # the final winner's registration (0–10 working days after the opening)
    winner_position: int = 0  # position in rank_order of the winner (> 0: rank 1 failed 적격심사)

    @property
    def priced(self) -> bool:
        """적격심사 with 복수예비가격 (else 협상에의한계약 or 외자 최저가: no 예비가격)."""
        return bool(self.prices)

    @property
    def status(self) -> str:
        return "개찰완료" if len(self.amounts) >= 2 and self.n_qualified > 0 else "유찰"

    @property
    def sajeong_rate(self) -> float:
        assert self.notice.bssamt
        return self.plnprc / self.notice.bssamt * 100

    @property
    def bidders(self) -> list[Bidder]:
        return [self._bidder(int(i), rank) for rank, i in enumerate(self.rank_order, start=1)]

    @property
    def first_ranked(self) -> Bidder | None:
        return self._bidder(int(self.rank_order[0]), 1) if self.status == "개찰완료" else None

    @property
    def winner(self) -> Bidder | None:
        if self.status != "개찰완료":
            return None
        return self._bidder(int(self.rank_order[self.winner_position]), self.winner_position + 1)

    def _bidder(self, i: int, rank: int) -> Bidder:
        amount = int(self.amounts[i])
        first, second = self.picks[i].tolist()
        return Bidder(
            company=self.pool[int(self.company_idx[i])],
            amount=amount,
            rate=amount / self.plnprc * 100,
            picks=(first + 1, second + 1),
            bid_dt=self.notice.close - timedelta(seconds=int(self.bid_offsets[i])),
            rank=rank,
            below_floor=rank > self.n_qualified,
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where an opening falls in time, and how to make its ``Result`` again: the state of its origin day's random
    stream before its draws (PCG64 state, increment, has_uint32, uinteger). ~1 KB where its Result holds ~5 KB,
    most of it the bidder arrays."""

    notice: NoticeCore
    state: tuple[int, int, int, int]
    rgst: datetime
    rl_openg: datetime
    award_rgst: datetime | None
    status: str
    priced: bool


def _state_of(rng: np.random.Generator) -> tuple[int, int, int, int]:
    state = rng.bit_generator.state
    return state["state"]["state"], state["state"]["inc"], state["has_uint32"], state["uinteger"]


def _rng_at(state: tuple[int, int, int, int]) -> np.random.Generator:
    bit_generator = np.random.PCG64(0)
    bit_generator.state = {
        "bit_generator": "PCG64",
        "state": {"state": state[0], "inc": state[1]},
        "has_uint32": state[2],
        "uinteger": state[3],
    }
    return np.random.Generator(bit_generator)


# An index entry: (key time, sort key, visible-from time, payload).
Entry = tuple[datetime, tuple, datetime, object]


class _Lru(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or(self, key: object, make: Callable[[], object]) -> object:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = make()
        self.put(key, value)
        return value

    def put(self, key: object, value: object) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


class NoticeGenerator:
    def __init__(self, seed: int = 20260101, notices_per_day: int = 1500) -> None:
        self.seed = seed
        self.notices_per_day = notices_per_day
        self._lock = threading.RLock()
        # Notice windows look back MAX_REVISION_LAG_DAYS (a full day of notices is ~5 MB); a results day reads the
        # outcomes of the MAX_AWARD_LAG_DAYS before it (~1.3 MB a day). A crawl goes day after day, so a few days
        # more than that are never generated twice.
        self._days: _Lru = _Lru(MAX_REVISION_LAG_DAYS + 4)
        self._outcomes: _Lru = _Lru(MAX_AWARD_LAG_DAYS + 4)
        # Results made again from their outcomes: a day's pages ask for the same opening a few times (opening,
        # 예비가격, bidders), near each other. The ones an origin day's outcomes were drawn with start here too:
        # a lookup by number soon after (the fidelity month, a crawl's bidders) need not draw them again.
        self._made: _Lru = _Lru(2048)
        # A day's windows (~22 of them); a bucket holds the notices it lists, so more would keep evicted days alive.
        self._buckets: _Lru = _Lru(128)
        self._bias: dict[str, float] = {}
        self._year_bases: dict[int, list[int]] = {}
        self._companies = self._make_companies()
        self._agency_cum_weights = list(itertools.accumulate(a.weight for a in AGENCIES))  # see _CATEGORY_CUM_SHARES

    # ----- ground truth API -------------------------------------------------------------------------

    def agency_bias(self, agency_code: str) -> float:
        """Persistent preference of a 수요기관 for high (>0) or low (<0) 예비가격 slices."""
        if agency_code not in self._bias:
            self._bias[agency_code] = random.Random(f"{self.seed}:bias:{agency_code}").gauss(0.0, AGENCY_BIAS_SD)
        return self._bias[agency_code]

    @staticmethod
    def noise_floor(range_pct: float, draws: int = 4_000) -> dict[str, float]:
        """The irreducible 사정률 noise of this generator's draw for a ±``range_pct``% range, in points.

        Monte Carlo of the generator's own model with no agency bias (its notice noise included): ``sd`` of the
        사정률 and ``mae_100`` (mean absolute error of always predicting 100%). A price model that cannot beat
        these learned nothing; the uniform-pick values are ~0.51/0.41 (±2%) and ~0.77/0.62 (±3%)."""
        rng = np.random.default_rng(12345)
        edges = np.linspace(-range_pct, range_pct, SLICES + 1)
        rates = []
        for _ in range(draws):
            prices = edges[:-1] + rng.random(SLICES) * (edges[1:] - edges[:-1])
            drawn, _ = _draw(rng, rng.normal(0.0, NOTICE_PICK_NOISE_SD, SLICES), 60)
            rates.append(prices[drawn].mean())
        rate = np.array(rates)
        return {"sd": float(rate.std()), "mae_100": float(np.abs(rate).mean())}

    def redrawn_assessment_rates(self, bid_ntce_no: str, draws: int) -> list[float] | None:
        """The 사정률 of `draws` fresh draws of this notice's opening (same notice, same agency bias, new 예비가격
        picks), or None when the number is not this generator's or the notice is not priced. Their median is the
        best any predictor could say about this notice: the noise floor of a backtest on simulated openings."""
        notice = self.notice(bid_ntce_no)
        if notice is None or not notice.priced:
            return None
        rng = np.random.default_rng([self.seed, zlib.crc32(bid_ntce_no.encode())])
        core = notice.core()
        return [self._make_result(rng, core).sajeong_rate for _ in range(draws)]

    def notice_number(self, day: date, idx: int) -> str:
        """R26BK + an 8-digit running number of the year: later notices have larger numbers, as on G2B."""
        base = self._bases(day.year)[day.timetuple().tm_yday - 1]
        return f"R{day.year % 100:02d}BK{base + idx * NUMBER_STRIDE + _stride_offset(day, idx):08d}"

    def origin_of(self, bid_ntce_no: str) -> tuple[date, int] | None:
        parsed = _parse_number(bid_ntce_no)
        if parsed is None or not 2000 <= parsed[0] <= 2099:
            return None
        year, seq = parsed
        bases = self._bases(year)
        doy = bisect.bisect_right(bases, seq) - 1
        if doy < 0:
            return None
        return date(year, 1, 1) + timedelta(days=doy), (seq - bases[doy]) // NUMBER_STRIDE

    def _bases(self, year: int) -> list[int]:
        """First sequence number of each day of the year (the days before it took count × stride numbers)."""
        with self._lock:
            if year not in self._year_bases:
                bases, total = [], NUMBER_START
                day = date(year, 1, 1)
                while day.year == year:
                    bases.append(total)
                    total += self._day_count(day) * NUMBER_STRIDE + NUMBER_STRIDE
                    day += timedelta(days=1)
                self._year_bases[year] = bases
            return self._year_bases[year]

    def _day_count(self, day: date) -> int:
        rng = random.Random(f"{self.seed}:count:{day.isoformat()}")
        weekend = day.weekday() >= 5
        mean = self.notices_per_day * (0.15 if weekend else 1.0) * rng.uniform(0.9, 1.1)
        return max(0, round(rng.gauss(mean, math.sqrt(mean) if mean > 0 else 0)))

    def notices_for_day(self, day: date) -> list[dict[str, str]]:
        """Every 차수 registered on ``day`` (KST) as the list operation of its category serves it."""
        entries = self._bucket("notice", "rgst", None, day)
        return [self.notice_item(payload) for _, _, _, payload in entries]  # type: ignore[arg-type]

    def origin_notices(self, day: date) -> list[Notice]:
        """The notices first registered on ``day`` (with all their later 차수 and details)."""
        return self._day(day)

    def notice(self, bid_ntce_no: str) -> Notice | None:
        found = self.origin_of(bid_ntce_no)
        if found is None:
            return None
        day, idx = found
        notices = self._day(day)
        return notices[idx] if 0 <= idx < len(notices) and notices[idx].no == bid_ntce_no else None

    def license_limits_for(self, bid_ntce_no: str) -> list[dict[str, str]]:
        notice = self.notice(bid_ntce_no)
        return [dict(row) for row in notice.licenses] if notice else []

    def regions_for(self, bid_ntce_no: str) -> list[str]:
        notice = self.notice(bid_ntce_no)
        return list(notice.regions) if notice else []

    def result_for(self, bid_ntce_no: str) -> Result | None:
        outcome = self._outcome(bid_ntce_no)
        return None if outcome is None else self.result(outcome)

    def result(self, outcome: Outcome) -> Result:
        """The opening of ``outcome``, made again from its random state (the same draws as on its origin day)."""
        with self._lock:
            return self._made.get_or(  # type: ignore[return-value]
                outcome.notice.no, lambda: self._make_result(_rng_at(outcome.state), outcome.notice)
            )

    def results_of(self, day: date) -> list[Result]:
        """The openings of the notices first registered on ``day``, made afresh (not cached)."""
        rng = np.random.default_rng([self.seed, day.toordinal(), 7])
        return [self._make_result(rng, notice.core()) for notice in self._day(day) if not notice.cancelled]

    # ----- queries used by the server ---------------------------------------------------------------

    def window(
        self, kind: str, key: str, category: str | None, bgn: datetime, end: datetime, now: datetime
    ) -> list[Entry]:
        """Entries whose ``key`` time lies in [bgn, end], visible at ``now``, in stable order."""
        out: list[Entry] = []
        day = bgn.date()
        while day <= end.date():
            for entry in self._bucket(kind, key, category, day):
                if bgn <= entry[0] <= end and entry[2] <= now:
                    out.append(entry)
            day += timedelta(days=1)
        return out

    def by_notice(self, kind: str, category: str | None, bid_ntce_no: str, now: datetime) -> list[Entry]:
        if kind in ("result", "award"):
            outcome = self._outcome(bid_ntce_no)
            if outcome is None or (category is not None and outcome.notice.category != category):
                return []
            return [e for e in _outcome_entries(kind, "rgst", outcome) if e[2] <= now]
        notice = self.notice(bid_ntce_no)
        if notice is None or (category is not None and notice.category != category):
            return []
        entries = sorted(self._entries_of(kind, "rgst", notice), key=lambda e: (e[0], e[1]))
        return [e for e in entries if e[2] <= now]

    # ----- item builders (non-empty values; the server projects them onto the op's fields) ----------

    def notice_item(self, payload: tuple[Notice, int]) -> dict[str, str]:
        notice, vi = payload
        return project(f"getBidPblancListInfo{notice.category}", notice.versions[vi].values)

    @staticmethod
    def opening_values(result: Result) -> dict[str, str]:
        n = result.notice
        values = _result_common(result)
        values.update(
            opengDt=fmt_dt(n.openg),
            prtcptCnum=str(len(result.amounts)),
            progrsDivCdNm=result.status,
            inptDt=fmt_dt(result.rgst),
            rsrvtnPrceFileExistnceYn="Y",
            ntceInsttCd=n.ntce.code,
            ntceInsttNm=n.ntce.name,
        )
        if result.first_ranked:
            w = result.first_ranked
            values["opengCorpInfo"] = f"{w.company.name}^{w.company.bizno}^{w.company.ceo}^{w.amount}^{w.rate:.3f}"
        else:
            values["opengRsltNtcCntnts"] = "참가업체 부족 또는 낙찰하한율 이상 투찰자 없음으로 유찰"
        return values

    @staticmethod
    def award_values(result: Result) -> dict[str, str]:
        w = result.winner
        assert w is not None
        values = _result_common(result)
        values.update(
            ntceDivCd="통050001",
            prtcptCnum=str(len(result.amounts)),
            bidwinnrNm=w.company.name,
            bidwinnrBizno=w.company.bizno,
            bidwinnrCeoNm=w.company.ceo,
            bidwinnrAdrs=w.company.address,
            bidwinnrTelNo=w.company.tel,
            sucsfbidAmt=str(w.amount),
            sucsfbidRate=f"{w.rate:.3f}",
            rlOpengDt=fmt_dt(result.rl_openg),
            rgstDt=fmt_dt(result.award_rgst or result.rgst),
            fnlSucsfDate=(result.award_rgst or result.rgst).strftime("%Y-%m-%d"),
        )
        return values

    @staticmethod
    def prepar_values(result: Result, sno: int) -> dict[str, str]:
        n = result.notice
        values = _result_common(result)
        drawn = sno - 1 in result.drawn
        values.update(
            plnprc=str(result.plnprc),
            bssamt=str(n.bssamt),
            totRsrvtnPrceNum=str(SLICES),
            compnoRsrvtnPrceSno=str(sno),
            bsisPlnprc=str(result.prices[sno - 1]),
            drwtYn="Y" if drawn else "N",
            drwtNum=str(result.pick_counts[sno - 1]),
            rlOpengDt=fmt_dt(result.rl_openg),
            compnoRsrvtnPrceMkngDt=fmt_dt(n.close - timedelta(minutes=30)),
            inptDt=fmt_dt(result.rgst),
        )
        return values

    @staticmethod
    def compt_values(result: Result, position: int) -> dict[str, str]:
        """The bidder at 0-based ``position`` of the 개찰순위."""
        b = result._bidder(int(result.rank_order[position]), position + 1)
        values = _result_common(result)
        values.update(
            opengRsltDivNm="개찰완료",
            opengRank=str(b.rank),
            prcbdrBizno=b.company.bizno,
            prcbdrNm=b.company.name,
            prcbdrCeoNm=b.company.ceo,
            bidprcAmt=str(b.amount),
            bidprcrt=f"{b.rate:.3f}",
            drwtNo1=str(b.picks[0]),
            drwtNo2=str(b.picks[1]),
            bidprcDt=fmt_dt(b.bid_dt),
        )
        if b.below_floor and result.priced:
            values["rmrk"] = "낙찰하한율미만"
        elif position < result.winner_position:
            values["rmrk"] = "적격심사 부적격"
        return values

    # ----- caches and indexes -----------------------------------------------------------------------

    def _day(self, day: date) -> list[Notice]:
        with self._lock:
            return self._days.get_or(day, lambda: self._generate_day(day))  # type: ignore[return-value]

    def _outcomes_of(self, day: date) -> list[Outcome | None]:
        """One per notice first registered on ``day`` (None for a cancelled one: it is never opened)."""
        with self._lock:
            return self._outcomes.get_or(day, lambda: self._generate_outcomes(day))  # type: ignore[return-value]

    def _outcome(self, bid_ntce_no: str) -> Outcome | None:
        found = self.origin_of(bid_ntce_no)
        if found is None:
            return None
        day, idx = found
        outcomes = self._outcomes_of(day)
        outcome = outcomes[idx] if 0 <= idx < len(outcomes) else None
        return outcome if outcome is not None and outcome.notice.no == bid_ntce_no else None

    def _bucket(self, kind: str, key: str, category: str | None, day: date) -> list[Entry]:
        def build() -> list[Entry]:
            entries: list[Entry] = []
            lookback = 0 if key == "ntce" else _LOOKBACK[kind]
            # Oldest origin day first: the days a crawl asks for next (the newest) are the ones left in the caches.
            for back in range(lookback, -1, -1):
                if kind in ("result", "award"):
                    for outcome in self._outcomes_of(day - timedelta(days=back)):
                        if outcome is not None and category in (None, outcome.notice.category):
                            entries.extend(e for e in _outcome_entries(kind, key, outcome) if e[0].date() == day)
                    continue
                for notice in self._day(day - timedelta(days=back)):
                    if category is None or notice.category == category:
                        entries.extend(e for e in self._entries_of(kind, key, notice) if e[0].date() == day)
            entries.sort(key=lambda e: (e[0], e[1]))
            return entries

        with self._lock:
            return self._buckets.get_or((kind, key, category, day), build)  # type: ignore[return-value]

    @staticmethod
    def _entries_of(kind: str, key: str, notice: Notice) -> Iterable[Entry]:
        """The notice-side entries (results and awards: ``_outcome_entries``)."""
        if kind == "notice":
            for vi, v in enumerate(notice.versions):
                when = v.rgst if key == "rgst" else v.chg
                if when is not None:
                    yield (when, (notice.no, v.ord), v.rgst, (notice, vi))
        elif kind == "bsis":
            if notice.bsis is not None:
                yield (notice.bsis.rgst, (notice.no,), notice.bsis.rgst, notice)
        elif kind in ("license", "region"):
            for vi, v in enumerate(notice.versions):
                if (kind == "license" and notice.licenses) or (kind == "region" and notice.regions):
                    yield (v.rgst, (notice.no, v.ord), v.rgst, (notice, vi))
        else:
            raise ValueError(f"{kind} entries come from outcomes")

    # ----- generation: notices ----------------------------------------------------------------------

    def _generate_day(self, day: date) -> list[Notice]:
        rng = random.Random(f"{self.seed}:notices:{day.isoformat()}")
        count = self._day_count(day)
        hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
        stamps = sorted(datetime.combine(day, time(h, rng.randrange(60), rng.randrange(60)), KST) for h in hours)
        return [self._make_notice(rng, day, idx, stamp) for idx, stamp in enumerate(stamps)]

    def _make_notice(self, rng: random.Random, day: date, idx: int, rgst: datetime) -> Notice:
        category = rng.choices(CATEGORIES, cum_weights=_CATEGORY_CUM_SHARES)[0]
        ntce = rng.choices(AGENCIES, cum_weights=self._agency_cum_weights)[0]
        # 조달청 publishes on behalf of a 수요기관; everyone else publishes for itself.
        dminstt = ntce
        if ntce.kind == "pps":
            dminstt = rng.choices(AGENCIES, cum_weights=self._agency_cum_weights)[0]
            if dminstt.kind == "pps":
                dminstt = ntce
        mu, sigma = AMOUNT_LOGNORMAL[category]
        presmpt = max(int(math.exp(rng.gauss(math.log(mu), sigma))), 5_000_000)
        if rng.random() < 0.6:  # many 추정가격 are round; the rest come from budget / 1.1 and are not
            presmpt = int(round(presmpt, -3))
        priced = rng.random() < PRICED_SHARE[category]
        licenses = eligibility.licenses(rng, category) if rng.random() < LICENSE_SHARE[category] else []
        lwlt = None
        if priced:
            issuer = "national" if ntce.kind == "pps" else rates.issuer_kind_of(dminstt.kind)
            lwlt, _ = rates.lower_limit_rate(_rate_category(category, licenses), presmpt, issuer, day)
            priced = lwlt is not None  # above the 적격심사 bands: 종합심사/협상, no 복수예가 here
        notice = Notice(
            no=self.notice_number(day, idx),
            category=category,
            ntce=ntce,
            dminstt=dminstt,
            rgst=rgst,
            close=_close_time(rng, rgst),
            openg=rgst,
            priced=priced,
            cancelled=False,
            presmpt=presmpt,
            versions=[],
        )
        notice.openg = notice.close + timedelta(hours=1)
        if priced:
            # ±2% for 조달청 and national bodies, ±3% for local governments (per notice in the real API).
            local = dminstt.is_local and ntce.kind != "pps"
            notice.rate_lo, notice.rate_hi = (-3.0, 3.0) if local else (-2.0, 2.0)
            notice.lwlt = lwlt
        notice.licenses = licenses
        notice.regions = eligibility.regions(rng, notice)
        base = self._base_values(rng, notice)
        eligibility.emit_cases(self.seed, notice, base)
        notice.versions.append(Version("000", rgst, None, base))
        self._add_revisions(rng, notice)
        if priced:
            self._add_bsis(rng, notice)
        return notice

    def _base_values(self, rng: random.Random, n: Notice) -> dict[str, str]:
        cat = n.category
        vat = 0 if cat == "Frgcpt" else n.presmpt // 10
        budget = int(math.ceil((n.presmpt + vat) * rng.uniform(1.0, 1.08) / 10_000) * 10_000)
        short_dates = rng.random() < 0.03  # some rows come without seconds, as the real API sometimes does
        begin = datetime.combine(n.rgst.date() + timedelta(days=rng.choice((0, 1, 1, 2))), time(9), KST)
        begin = max(begin, n.rgst)
        title_obj = rng.choice(TITLES[cat])
        owner = n.dminstt.name.split()[-1] if n.dminstt.kind == "sigungu" else n.dminstt.name
        title = f"{n.rgst.year}년 {owner} {title_obj}" if rng.random() < 0.7 else f"{owner} {title_obj}"
        url = f"https://www.g2b.go.kr/link/PNPE027_01/single/?bidPbancNo={n.no}&bidPbancOrd=000"
        file_url = "https://www.g2b.go.kr/pn/pnp/pnpe/UntyAtchFile/downloadFile.do?bidPbancNo={}&bidPbancOrd=000&fileType=&fileSeq={}&prcmBsneSeCd=03"
        lrg, mid, clsfc_no, clsfc_nm = rng.choice(CLASSIFICATIONS[cat])
        method = _contract_method(rng, n.presmpt)
        v: dict[str, str] = {
            "bidNtceNo": n.no,
            "bidNtceOrd": "000",
            "reNtceYn": "N",
            "rgstTyNm": "조달청 또는 나라장터 자체 공고건",
            "ntceKindNm": "등록공고",
            "intrbidYn": "Y" if cat == "Frgcpt" else "N",
            "bidNtceDt": fmt_dt(n.rgst),
            "refNo": f"{n.ntce.code[-3:]}-{rng.randrange(1, 9999):04d}",
            "bidNtceNm": title,
            "ntceInsttCd": n.ntce.code,
            "ntceInsttNm": n.ntce.name,
            "dminsttCd": n.dminstt.code,
            "dminsttNm": n.dminstt.name,
            "bidMethdNm": "전자입찰",
            "cntrctCnclsMthdNm": method,
            "ntceInsttOfclNm": _masked_person(rng),
            "ntceInsttOfclTelNo": f"0{rng.choice((2, 31, 32, 42, 51, 53, 62))}-{rng.randrange(200, 999)}-****",
            "exctvNm": _masked_person(rng),
            "bidQlfctRgstDt": fmt_dt((n.close - timedelta(days=1)).replace(hour=18, minute=0), seconds=False),
            "cmmnSpldmdAgrmntRcptdocMethd": "없음",
            "cmmnSpldmdCorpRgnLmtYn": "N",
            "bidBeginDt": fmt_dt(begin, seconds=not short_dates),
            "bidClseDt": fmt_dt(n.close, seconds=not short_dates),
            "opengDt": fmt_dt(n.openg, seconds=not short_dates),
            "rbidOpengDt": fmt_dt(n.openg, seconds=not short_dates),
            "ntceSpecDocUrl1": file_url.format(n.no, 1),
            "ntceSpecFileNm1": f"입찰공고문_{title}.hwpx",
            "ntceSpecDocUrl2": file_url.format(n.no, 2),
            "ntceSpecFileNm2": f"{'과업지시서' if cat == 'Servc' else '규격서'}_{title}.pdf",
            "stdNtceDocUrl": file_url.format(n.no, 1),
            "rbidPermsnYn": "Y",
            # 참가제한 also covers 중소기업·실적 limits: the flag sometimes comes without region rows.
            "bidPrtcptLmtYn": "Y" if n.regions or rng.random() < 0.06 else "N",
            "indstrytyLmtYn": "Y" if n.licenses else "N",
            "prdctClsfcLmtYn": "N",
            "presmptPrce": str(n.presmpt),
            "asignBdgtAmt": str(budget),
            "VAT": str(vat),
            "opengPlce": "국가종합전자조달시스템(나라장터)",
            "bidNtceDtlUrl": url,
            "bidNtceUrl": url,
            "bidPrtcptFee": "0",
            "bidGrntymnyPaymntYn": "Y",
            "crdtrNm": f"{n.dminstt.name} 지출관",
            "untyNtceNo": f"R{n.rgst.year % 100:02d}BM{rng.randrange(10**8):08d}",
            "cmmnSpldmdMethdNm": "(없음)공동수급불허",
            "dsgntCmptYn": "Y" if method == "지명경쟁" else "N",
            "arsltCmptYn": "N",
            "rgstDt": fmt_dt(n.rgst),
            "pubPrcrmntLrgClsfcNm": lrg,
            "pubPrcrmntMidClsfcNm": mid,
            "pubPrcrmntClsfcNo": clsfc_no,
            "pubPrcrmntClsfcNm": clsfc_nm,
        }
        if rng.random() < 0.5:
            v["orderPlanUntyNo"] = f"R{n.rgst.year % 100:02d}DD{rng.randrange(10**8):08d}"
        if cat in ("Servc", "Thng") and rng.random() < 0.4:
            v["bfSpecRgstNo"] = f"R{n.rgst.year % 100:02d}BD{rng.randrange(10**8):08d}"
        if rng.random() < 0.08:  # 재공고 of an earlier, failed notice (the real sample is one)
            v["reNtceYn"] = "Y"
            earlier = n.rgst.date() - timedelta(days=rng.randrange(10, 40))
            v["befBidBbancNo"] = self.notice_number(earlier, rng.randrange(max(1, self._day_count(earlier))))
        if n.priced:
            v.update(
                prearngPrceDcsnMthdNm="복수예가",
                totPrdprcNum=str(SLICES),
                drwtPrdprcNum=str(DRAWN),
                sucsfbidLwltRate=f"{n.lwlt:.3f}",
                sucsfbidMthdCd="낙030001",
                sucsfbidMthdNm="적격심사-추정가격이 고시금액 미만(적격심사)",
            )
        elif cat == "Frgcpt":
            v.update(prearngPrceDcsnMthdNm="비예가", sucsfbidMthdCd="낙030003", sucsfbidMthdNm="최저가낙찰제")
        else:
            v.update(
                prearngPrceDcsnMthdNm="비예가",
                sucsfbidMthdCd="낙030005",
                sucsfbidMthdNm="협상에의한계약-협상에 의한 낙찰자 결정",
                techAbltEvlRt="90" if cat == "Servc" else "80",
                bidPrceEvlRt="10" if cat == "Servc" else "20",
            )
        if cat == "Servc":
            v.update(srvceDivNm=rng.choice(("일반용역", "일반용역", "기술용역")), ppswGnrlSrvceYn="N")
        elif cat == "Thng":
            v.update(prdctQty=str(rng.randrange(1, 200)), prdctUnit="대", dlvryCndtnNm="현장설치도")
            v["dlvrTmlmtDt"] = (n.openg + timedelta(days=rng.randrange(30, 120))).strftime("%Y-%m-%d")
        elif cat == "Cnstwk":
            v["bdgtAmt"] = str(budget)
            v["mainCnsttyNm"] = n.licenses[0]["lcnsLmtNm"].split("/")[0] if n.licenses else "토목공사업"
            v["mainCnsttyPresmptPrce"] = str(n.presmpt)
            v["cnstrtsiteRgnNm"] = n.dminstt.name if n.dminstt.kind == "sigungu" else n.dminstt.sido
        if n.regions:
            v["rgnLmtBidLocplcJdgmBssCd"] = "1"
            v["rgnLmtBidLocplcJdgmBssNm"] = "본사소재지"
        return v

    def _add_revisions(self, rng: random.Random, n: Notice) -> None:
        """정정공고 (dates or amount) / 취소공고 registered on a later day, before the original close."""
        roll = rng.random()
        if roll >= 0.06:
            return
        n_changes = 1 if roll < 0.045 or roll >= 0.05 else 2
        cancel_last = roll >= 0.05
        latest = n.close - timedelta(hours=2)
        when = n.rgst
        for k in range(n_changes):
            lag_days = rng.randint(1, MAX_REVISION_LAG_DAYS)
            hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            candidate = datetime.combine(when.date() + timedelta(days=lag_days), time(hour), KST)
            candidate += timedelta(minutes=rng.randrange(60), seconds=rng.randrange(60))
            if candidate >= latest or candidate <= when:
                break
            when = candidate
            values = dict(n.versions[-1].values)
            ord_ = f"{k + 1:03d}"
            values.update(bidNtceOrd=ord_, rgstDt=fmt_dt(when), bidNtceDt=fmt_dt(when), chgDt=fmt_dt(when))
            for key in ("bidNtceDtlUrl", "bidNtceUrl"):
                values[key] = values[key].replace("bidPbancOrd=000", f"bidPbancOrd={ord_}")
            if cancel_last and k == n_changes - 1:
                values.update(ntceKindNm="취소공고", chgNtceRsn="사업계획 변경에 따른 입찰 취소")
                n.cancelled = True
            elif rng.random() < 0.6:
                n.close = n.close + timedelta(days=rng.randint(2, 5))
                n.openg = n.close + timedelta(hours=1)
                latest = n.close - timedelta(hours=2)
                values.update(
                    ntceKindNm="정정공고",
                    chgNtceRsn="입찰마감일시 연기",
                    bidClseDt=fmt_dt(n.close),
                    opengDt=fmt_dt(n.openg),
                    rbidOpengDt=fmt_dt(n.openg),
                    bidQlfctRgstDt=fmt_dt((n.close - timedelta(days=1)).replace(hour=18), seconds=False),
                )
            else:
                n.presmpt = int(round(n.presmpt * rng.uniform(0.95, 1.05), -3))
                values.update(
                    ntceKindNm="정정공고",
                    chgNtceRsn="추정가격 정정",
                    presmptPrce=str(n.presmpt),
                    VAT=str(0 if n.category == "Frgcpt" else n.presmpt // 10),
                )
                if "mainCnsttyPresmptPrce" in values:
                    values["mainCnsttyPresmptPrce"] = str(n.presmpt)
            n.versions.append(Version(ord_, when, when, values))
            if n.cancelled:
                break

    def _add_bsis(self, rng: random.Random, n: Notice) -> None:
        """기초금액 published 1–3 days after the notice, before the close; amounts follow the final 차수."""
        vat = n.presmpt // 10
        raw = (n.presmpt + vat) * rng.uniform(0.97, 1.0)
        roll = rng.random()  # 기초금액 are often but not always round: 1,000원, 10원, or to the won
        n.bssamt = int(round(raw, -3)) if roll < 0.55 else int(round(raw, -1)) if roll < 0.8 else int(raw)
        day = n.rgst.date() + timedelta(days=rng.randint(1, MAX_BSIS_LAG_DAYS))
        rgst = datetime.combine(day, time(rng.randrange(9, 18), rng.randrange(60), rng.randrange(60)), KST)
        rgst = min(rgst, n.close - timedelta(hours=3))
        values = {
            "bidNtceNo": n.no,
            "bidNtceOrd": "000",
            "bidClsfcNo": "1",
            "bidNtceNm": n.versions[0].values["bidNtceNm"],
            "bssamt": str(n.bssamt),
            "bssamtOpenDt": fmt_dt(rgst),
            "rsrvtnPrceRngBgnRate": f"{n.rate_lo:+.0f}",
            "rsrvtnPrceRngEndRate": f"{n.rate_hi:+.0f}",
            "usefulAmt": str(n.bssamt),
            "inptDt": fmt_dt(rgst),
        }
        if n.category == "Cnstwk":
            a_share = A_RULE_SHARE_BELOW_100EOK if n.presmpt < 10_000_000_000 else A_RULE_SHARE_ABOVE
            a_rule = rng.random() < a_share
            items = {
                name: int(n.bssamt * share * rng.uniform(0.8, 1.2))
                for name, share in zip(A_ITEMS, _A_ITEM_SHARES, strict=True)
            }
            values.update({name: str(amount) for name, amount in items.items()})
            values.update(
                bidPrceCalclAYn="Y" if a_rule else "N",
                qltyMngcstAObjYn="Y",
                smkpAmtYn="N",
                bssAmtPurcnstcst=str(int(n.bssamt * rng.uniform(0.7, 0.85))),
            )
            if a_rule:
                n.a_value = sum(items.values())
        n.bsis = Version("000", rgst, None, values)

    # ----- generation: results ----------------------------------------------------------------------

    def _generate_outcomes(self, day: date) -> list[Outcome | None]:
        """The day's results drawn in order from one stream (as ``results_of``), keeping of each only its outcome."""
        rng = np.random.default_rng([self.seed, day.toordinal(), 7])
        outcomes: list[Outcome | None] = []
        for notice in self._day(day):
            if notice.cancelled:
                outcomes.append(None)
                continue
            state = _state_of(rng)
            r = self._make_result(rng, notice.core())
            outcomes.append(Outcome(r.notice, state, r.rgst, r.rl_openg, r.award_rgst, r.status, r.priced))
            self._made.put(notice.no, r)  # what `result` would make again from `state`
        return outcomes

    def _bidder_count(self, rng: np.random.Generator, n: NoticeCore) -> int:
        if rng.random() < 0.03:  # too few bidders: 유찰
            return int(rng.integers(0, 2))
        if not n.priced:
            median = NEGOTIATED_BIDDER_MEDIAN[n.category]
            return max(1, int(np.exp(rng.normal(np.log(median), 0.5))))
        median = BIDDER_MEDIAN[n.category] * (n.presmpt / 1e8) ** BIDDER_AMOUNT_ELASTICITY
        return int(np.clip(np.exp(rng.normal(np.log(median), BIDDER_SIGMA)), 2, 3000))

    def _make_result(self, rng: np.random.Generator, n: NoticeCore) -> Result:
        pool = self._companies[n.category]
        count = min(self._bidder_count(rng, n), len(pool))
        window = max(1, int((n.close - n.rgst).total_seconds()))
        offsets = rng.integers(0, window, count).astype(np.int32)  # seconds; 4 bytes a bidder suffice
        rl_openg = n.openg + timedelta(minutes=int(rng.integers(0, 15)))
        rgst = rl_openg + timedelta(minutes=int(rng.integers(5, 180)))
        lottery = rng.random(count)  # equal bids are ranked by lottery, not by bid time
        if n.priced:
            assert n.bssamt is not None and n.lwlt is not None
            lo, hi = n.bssamt * (1 + n.rate_lo / 100), n.bssamt * (1 + n.rate_hi / 100)
            edges = np.linspace(lo, hi, SLICES + 1)
            prices = np.floor(edges[:-1] + rng.random(SLICES) * (edges[1:] - edges[:-1])).astype(np.int64)
            logits = self.agency_bias(n.dminstt.code) * _SLICE_POSITIONS
            logits = logits + rng.normal(0.0, NOTICE_PICK_NOISE_SD, SLICES)
            drawn_idx, picks = _draw(rng, logits, count)
            counts = np.bincount(picks.ravel(), minlength=SLICES)
            drawn = sorted(int(i) for i in drawn_idx)
            plnprc = int(np.floor(prices[drawn].mean()))
            floor_amount = floor.floor_amount(plnprc, n.lwlt, n.a_value)
            amounts = self._bid_amounts(rng, n, count)
            qualified = amounts >= floor_amount
            # 개찰순위: qualified bids ascending, then the below-floor ones (closest first).
            key = np.where(qualified, amounts, 10**15 - amounts)
            rank_order = np.lexsort((lottery, key)).astype(np.int32)
            n_qualified = int(qualified.sum())
            # The first-ranked sometimes fails 적격심사 (경영상태, 실적): the award passes to the next one.
            winner_position = 0
            fails = RANK1_FAILS_SHARE
            while winner_position + 1 < n_qualified and rng.random() < fails:
                winner_position, fails = winner_position + 1, 0.3
            price_list, pick_counts = prices.tolist(), counts.tolist()
        else:
            # 비예가: 협상에의한계약 (technical score decides) or 외자 최저가; the 예정가격 is the budget.
            plnprc = n.presmpt + (0 if n.category == "Frgcpt" else n.presmpt // 10)
            low = 0.70 if n.category == "Frgcpt" else 0.84
            amounts = np.floor(plnprc * rng.uniform(low, 0.995, count)).astype(np.int64)
            picks, drawn, price_list, pick_counts = np.zeros((count, 2), dtype=np.int8), [], [], []
            floor_amount, n_qualified = 0.0, count
            rank_order = np.lexsort((lottery, amounts)).astype(np.int32)
            winner_position = 0
            if n.category != "Frgcpt" and count > 1:  # 협상: the best technical score, often not the lowest price
                winner_position = _weighted_index(rng, _NEGOTIATED_WINNER_CDF[min(count, 4)])
        award_rgst = None
        if len(amounts) >= 2 and n_qualified > 0:
            award_rgst = _award_time(rng, rgst, n.priced)
        return Result(
            notice=n,
            ord=n.ord,
            rl_openg=rl_openg,
            rgst=rgst,
            prices=price_list,
            pick_counts=pick_counts,
            drawn=drawn,
            plnprc=plnprc,
            floor_amount=floor_amount,
            pool=pool,
            company_idx=rng.choice(len(pool), size=count, replace=False).astype(np.int32),
            amounts=amounts,
            picks=picks,
            bid_offsets=offsets,
            rank_order=rank_order,
            n_qualified=n_qualified,
            award_rgst=award_rgst,
            winner_position=winner_position,
        )

    @staticmethod
    def _bid_amounts(rng: np.random.Generator, n: NoticeCore, count: int) -> np.ndarray:
        """Each bidder bids 하한율 × its own guess of the 예정가격, plus a small margin.

        Guesses spread over the whole ±range (most near 100%, some anywhere), so about half are too low and those
        bids land below the real floor; a few bid well above (a margin of points), a few below their own floor."""
        assert n.bssamt is not None and n.lwlt is not None
        half = (n.rate_hi - n.rate_lo) / 2
        near = np.clip(rng.normal(0.0, half / 2.5, count), -half, half)
        guess = np.where(rng.random(count) < 0.7, near, rng.uniform(-half, half, count))
        margin = rng.exponential(0.04, count)  # points of 투찰률 above the floor of one's own guess
        kind = rng.random(count)
        margin = np.where(kind < 0.04, rng.uniform(0.3, 4.0, count), margin)  # a few well above
        margin = np.where(kind > 0.98, -rng.exponential(0.3, count), margin)  # a few below on purpose
        planned_guess = n.bssamt * (1 + guess / 100)
        # The floor of one's own guess, at the 하한율 plus one's margin.
        return np.floor(floor.floor_amount(planned_guess, n.lwlt + margin, n.a_value)).astype(np.int64)

    def _make_companies(self) -> dict[str, list[Company]]:
        rng = random.Random(f"{self.seed}:companies")
        pools: dict[str, list[Company]] = {}
        seen: set[str] = set()
        for cat, suffixes in COMPANY_SUFFIXES.items():
            pool = []
            for _ in range(POOL_SIZES[cat]):
                base = f"{rng.choice(COMPANY_STEMS)}{rng.choice(COMPANY_STEMS)}{rng.choice(suffixes)}"
                style = rng.random()
                bizno = _bizno(rng, corporate=style < 0.8)
                while bizno in seen:
                    bizno = _bizno(rng, corporate=style < 0.8)
                seen.add(bizno)
                pool.append(
                    Company(
                        name=_company_name(base, style),
                        bizno=bizno,
                        ceo=_person(rng),
                        address=_address(rng),
                        tel=f"0{rng.choice((2, 31, 32, 42, 51, 53, 62))}-{rng.randrange(200, 999)}-{rng.randrange(10000):04d}",
                    )
                )
            pools[cat] = pool
        return pools


# ----- small helpers ----------------------------------------------------------------------------------


def _draw(rng: np.random.Generator, logits: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Every bidder picks 2 distinct numbers with softmax(logits) weights (Gumbel top-2); the 4 most picked are
    drawn, ties broken at random as by the lottery. Returns (drawn slice indexes, picks (count, 2))."""
    # Each row's two largest by argmax, the largest masked out for the second: what the first two of a descending
    # argsort of the row were (Gumbel draws do not tie), at a third of the cost. Kept in the smallest type (2 bytes
    # a bidder, held for every result the simulator keeps).
    scores = logits + rng.gumbel(size=(count, SLICES))
    first = scores.argmax(axis=1)
    scores[np.arange(count), first] = -np.inf
    picks = np.stack((first, scores.argmax(axis=1)), axis=1).astype(np.int8)
    counts = np.bincount(picks.ravel(), minlength=SLICES)
    order = np.lexsort((rng.random(SLICES), -counts))
    return order[:DRAWN], picks


def _working_days_after(start: date, n: int) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _award_time(rng: np.random.Generator, opening_rgst: datetime, priced: bool) -> datetime:
    """The final winner is registered after the 적격심사 (or the 협상): 0–10 working days after the opening."""
    lag = AWARD_LAG_WORKING_DAYS[0] + _weighted_index(rng, _AWARD_LAG_CDF if priced else _NEGOTIATED_LAG_CDF)
    if lag == 0:
        return opening_rgst + timedelta(minutes=int(rng.integers(10, 240)))
    day = _working_days_after(opening_rgst.date(), lag)
    return datetime.combine(day, time(int(rng.integers(9, 18)), int(rng.integers(60)), int(rng.integers(60))), KST)


# Same day for a third of the 적격심사 awards, then a tail over two weeks; 협상 takes longer.
_AWARD_LAG_P = np.array([0.35, 0.15, 0.12, 0.1, 0.08, 0.06, 0.05, 0.04, 0.02, 0.02, 0.01])
_NEGOTIATED_LAG_P = np.array([0.02, 0.03, 0.05, 0.1, 0.12, 0.14, 0.14, 0.13, 0.1, 0.09, 0.08])
_AWARD_LAG_P /= _AWARD_LAG_P.sum()
_NEGOTIATED_LAG_P /= _NEGOTIATED_LAG_P.sum()


def _cdf(p: np.ndarray) -> list[float]:
    """The cumulative sums ``Generator.choice(n, p=p)`` computes on every call (numpy's ``_generator.pyx``)."""
    cdf = p.cumsum()
    cdf /= cdf[-1]
    return cdf.tolist()


def _weighted_index(rng: np.random.Generator, cdf: list[float]) -> int:
    """``int(rng.choice(len(cdf), p=p))`` for ``cdf = _cdf(p)``: the same one ``random()`` draw and the same
    ``searchsorted(..., side="right")``, without ``choice``'s checks of ``p`` (~20× the cost of the draw)."""
    return bisect.bisect_right(cdf, rng.random())


_AWARD_LAG_CDF = _cdf(_AWARD_LAG_P)
_NEGOTIATED_LAG_CDF = _cdf(_NEGOTIATED_LAG_P)
# 협상: the winner among the k lowest prices (k = the bidders, at most 4) by these weights.
_NEGOTIATED_WINNER_WEIGHTS = np.array([0.55, 0.25, 0.12, 0.08])
_NEGOTIATED_WINNER_CDF = {
    k: _cdf(_NEGOTIATED_WINNER_WEIGHTS[:k] / _NEGOTIATED_WINNER_WEIGHTS[:k].sum()) for k in (2, 3, 4)
}


def _result_common(result: Result) -> dict[str, str]:
    n = result.notice
    return {
        "bidNtceNo": n.no,
        "bidNtceOrd": result.ord,
        "bidClsfcNo": "0",
        "rbidNo": "000",
        "bidNtceNm": n.title,
        "dminsttCd": n.dminstt.code,
        "dminsttNm": n.dminstt.name,
    }


def _outcome_entries(kind: str, key: str, outcome: Outcome) -> Iterable[Entry]:
    """An opening is visible from its registration; the final winner (award) from its own, after the 적격심사."""
    visible = outcome.rgst if kind == "result" else outcome.award_rgst
    if visible is not None:
        when = {"rgst": visible, "ntce": outcome.notice.rgst, "openg": outcome.rl_openg}[key]
        yield (when, (outcome.notice.no,), visible, outcome)


def _close_time(rng: random.Random, rgst: datetime) -> datetime:
    day = rgst.date() + timedelta(days=rng.randint(5, 20))
    while day.weekday() >= 5:  # closes fall on working days
        day += timedelta(days=1)
    return datetime.combine(day, time(rng.choice(CLOSE_HOURS)), KST)


FACILITY_LICENSES = {"경비업", "건물위생관리업", "시설물유지관리업", "소방시설관리업", "전기안전관리대행업"}


def _rate_category(category: str, licenses: list[dict[str, str]]) -> str:
    """The 낙찰하한율 table's category: 시설분야 용역 (청소·경비·시설관리) has its own bands."""
    if category == "Servc":
        names = {row["lcnsLmtNm"].split("/")[0] for row in licenses}
        return "facility_services" if names & FACILITY_LICENSES else "services"
    return {"Cnstwk": "construction", "Thng": "goods", "Frgcpt": "foreign"}[category]


def _contract_method(rng: random.Random, presmpt: int) -> str:
    if presmpt < 20_000_000 and rng.random() < 0.6:
        return "수의계약"
    return rng.choices(("제한경쟁", "일반경쟁", "지명경쟁", "수의계약"), weights=(55, 33, 4, 8))[0]


def _company_name(base: str, style: float) -> str:
    if style < 0.35:
        return f"주식회사 {base}"
    if style < 0.7:
        return f"(주){base}"
    return f"{base}(주)" if style < 0.8 else base  # the last ones are 개인사업자


def _address(rng: random.Random) -> str:
    sido = rng.choice(list(REGIONS))
    parts = [sido, rng.choice(REGIONS[sido])] if REGIONS[sido] else [sido]
    parts += [rng.choice(("중앙로", "시청로", "산업로", "테크노로")), str(rng.randrange(1, 300))]
    return " ".join(parts)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAME_SYLLABLES) + rng.choice(GIVEN_NAME_SYLLABLES)


def _masked_person(rng: random.Random) -> str:
    name = _person(rng)
    return f"{name[0]}*{name[2]}"


def _bizno(rng: random.Random, corporate: bool) -> str:
    office = rng.randrange(101, 900)
    kind = rng.choice((81, 86, 87, 88)) if corporate else rng.randrange(1, 80)
    first9 = f"{office:03d}{kind:02d}{rng.randrange(10000):04d}"
    return first9 + str(bizno_check_digit(first9))
