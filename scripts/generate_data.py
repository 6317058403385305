"""Generate the shipped sample datasets in data/ from a fixed seed.

The published totals (see data/published_figures.csv) are reproduced exactly; every
monthly, city, enterprise and item breakdown is illustrative. Run:

    python scripts/generate_data.py [--out data]

and the CSVs are rebuilt byte-for-byte.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference import CITIES, INDUSTRIES, SERVICE_ITEMS
from task_titles import ANNUAL_2023_TITLES, TASK_TITLES

SEED = 20230829
AS_OF = date(2023, 8, 29)
FIRST_MONTH = (2021, 1)
LAST_MONTH = (2023, 8)
AGREEMENT_DUE = date(2025, 12, 31)
PROVINCES = ("sichuan", "chongqing")
OTHER = {"sichuan": "chongqing", "chongqing": "sichuan"}


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
    """All months from first to last inclusive, as YYYY-MM."""
    y, m = first
    out = []
    while (y, m) <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


MONTHS = months_between(FIRST_MONTH, LAST_MONTH)


def allocate(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split an integer total over weights exactly (largest remainder), each part >= minimum."""
    n = len(weights)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total too small for the minimum")
    s = sum(weights)
    raw = [rest * w / s for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(n), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


class Rng:
    """A thin wrapper over random.Random using only random(), whose output is stable across Pythons."""

    def __init__(self, seed: int) -> None:
        self._r = random.Random(seed)

    def random(self) -> float:
        """A float in [0, 1)."""
        return self._r.random()

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self._r.random()

    def integer(self, a: int, b: int) -> int:
        """Integer in [a, b]."""
        return a + min(int(self._r.random() * (b - a + 1)), b - a)

    def weighted(self, weights: list[float]) -> int:
        """Index drawn with the given weights."""
        x = self._r.random() * sum(weights)
        acc = 0.0
        for i, w in enumerate(weights):
            acc += w
            if x < acc:
                return i
        return len(weights) - 1

    def lognormal(self, sigma: float) -> float:
        u1, u2 = max(self._r.random(), 1e-12), self._r.random()
        z = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
        return math.exp(sigma * z)


def ramp(months: list[str], growth: float, rng: Rng, noise: float = 0.15) -> list[float]:
    """Monthly weights that grow over time with noise and a dip around Chinese New Year."""
    out = []
    for i, m in enumerate(months):
        seasonal = 0.7 if m.endswith("-02") else (1.15 if m[-2:] in ("03", "09") else 1.0)
        out.append((1 + growth * i / max(len(months) - 1, 1)) * seasonal * rng.uniform(1 - noise, 1 + noise))
    return out


def write_csv(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    """Write a CSV deterministically: UTF-8, LF line endings, rows as given."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def month_add(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    k = y * 12 + m - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def gen_cities(out: Path) -> None:
    rows = [[c[0], c[1], c[2], c[3]] for c in CITIES]
    write_csv(out / "cities.csv", ["city_id", "province", "name_zh", "name_en"], rows)


@dataclass(frozen=True)
class Task:
    """One task as drawn: its row, and the outcome its report history must arrive at."""

    task_id: str
    plan_id: str
    area: str
    title_zh: str
    title_en: str
    lead: str
    start: date
    due: date
    done: date | None
    progress: int  # the latest approved progress (100 when done)


def gen_tasks(rng: Rng) -> list[Task]:
    """The agreement's 97 tasks (the draws are those of the first release, so later datasets stay the same)."""
    completed_by_area = {
        "employment": 14,
        "social_security": 12,
        "talent": 14,
        "public_services": 10,
        "data_sharing": 6,
        "governance": 7,
    }
    overdue_by_area = {
        "employment": 1,
        "social_security": 1,
        "talent": 0,
        "public_services": 1,
        "data_sharing": 2,
        "governance": 2,
    }
    not_started_by_area = {
        "employment": 1,
        "social_security": 1,
        "talent": 1,
        "public_services": 0,
        "data_sharing": 1,
        "governance": 1,
    }
    leads = ["joint", "joint", "sichuan", "chongqing", "ministry"]
    rows = []
    n = 0
    for area, titles in TASK_TITLES.items():
        k_done, k_over, k_ns = completed_by_area[area], overdue_by_area[area], not_started_by_area[area]
        for i, (zh, en) in enumerate(titles):
            n += 1
            lead = leads[rng.integer(0, len(leads) - 1)]
            row: tuple[date, date, date | None, int]  # start, due, completed on, progress
            if i < k_done:
                start = date(2021, rng.integer(1, 12), 1) if i % 3 else date(2022, rng.integer(1, 9), 1)
                span = rng.integer(4, 18)
                due_m = start.year * 12 + start.month - 1 + span
                due = date(due_m // 12, due_m % 12 + 1, 28)
                done_m = start.year * 12 + start.month - 1 + max(2, span - rng.integer(-2, 4))
                done = date(done_m // 12, done_m % 12 + 1, rng.integer(1, 28))
                if done > AS_OF:
                    done = date(2023, rng.integer(1, 7), rng.integer(1, 28))
                row = (start, due, done, 100)
            elif i < k_done + k_over:
                start = date(2021, rng.integer(3, 10), 1)
                due = date(rng.integer(2022, 2023), rng.integer(1, 6), 28)
                row = (start, due, None, rng.integer(40, 85))
            elif i < k_done + k_over + k_ns:
                start = date(2023, rng.integer(10, 12), 1)
                due = date(2025, rng.integer(6, 12), 30)
                row = (start, due, None, 0)
            else:
                start = date(rng.integer(2021, 2023), rng.integer(1, 6), 1)
                due = date(rng.integer(2024, 2025), rng.integer(1, 12), 28)
                row = (start, due, None, rng.integer(10, 90))
            rows.append(Task(f"T{n:03d}", "agreement", area, zh, en, lead, *row))
    return rows


def gen_job_postings(out: Path, rng: Rng) -> None:
    enterprises, positions = 21_000, 1_410_000
    zone_months = months_between((2021, 3), LAST_MONTH)
    month_w = ramp(zone_months, 1.5, rng)
    city_w = [c[4] * (1.6 if c[0] == "chengdu" else 1.0) for c in CITIES]
    ind_w = [i[3] for i in INDUSTRIES]
    keys = []
    for e in range(1, enterprises + 1):
        city = CITIES[rng.weighted(city_w)][0]
        industry = INDUSTRIES[rng.weighted(ind_w)][0]
        n_months = 1 + rng.weighted([50, 30, 15, 5])
        chosen: set[str] = set()
        while len(chosen) < n_months:
            chosen.add(zone_months[rng.weighted(month_w)])
        for m in sorted(chosen):
            keys.append((f"E{e:05d}", m, city, industry, rng.lognormal(0.9)))
    counts = allocate(positions, [k[4] for k in keys], minimum=1)
    province = {c[0]: c[1] for c in CITIES}
    rows = [[k[0], k[1], province[k[2]], k[2], k[3], c] for k, c in zip(keys, counts, strict=True)]
    write_csv(
        out / "job_postings.csv", ["enterprise_id", "month", "province", "city_id", "industry", "positions"], rows
    )


def gen_industries(out: Path) -> None:
    write_csv(out / "industries.csv", ["industry_id", "name_zh", "name_en"], [[i[0], i[1], i[2]] for i in INDUSTRIES])


BATCH_LAUNCH = {1: "2021-03", 2: "2021-10", 3: "2022-06", 4: "2023-01"}


def gen_services(out: Path, rng: Rng) -> None:
    items: list[tuple[str, int, str, str, str]] = []
    for i, (batch, zh, en) in enumerate(SERVICE_ITEMS, start=1):
        items.append((f"S{i:02d}", batch, zh, en, BATCH_LAUNCH[batch]))
    write_csv(out / "service_items.csv", ["item_id", "batch", "name_zh", "name_en", "launch_month"], items)
    keys = []
    for item_id, _batch, _, _, launch in items:
        popularity = rng.lognormal(0.8)
        for m in MONTHS:
            if m < launch:
                continue
            age = MONTHS.index(m) - MONTHS.index(launch)
            for handled in PROVINCES:
                share = 0.58 if handled == "sichuan" else 0.42
                w = popularity * share * min(1.0, 0.3 + age / 6) * rng.uniform(0.8, 1.2)
                keys.append((m, item_id, handled, OTHER[handled], w))
    counts = allocate(1_035_000, [k[4] for k in keys], minimum=1)
    rows = [[k[0], k[1], k[2], k[3], c] for k, c in zip(keys, counts, strict=True)]
    write_csv(
        out / "service_transactions.csv",
        ["month", "item_id", "handled_province", "home_province", "transactions"],
        rows,
    )


def gen_insurance(out: Path, rng: Rng) -> None:
    keys = []
    month_w = ramp(MONTHS, 1.2, rng)
    for mi, m in enumerate(MONTHS):
        for direction in ("sichuan_to_chongqing", "chongqing_to_sichuan"):
            for kind, share in (("pension", 0.72), ("unemployment", 0.28)):
                d = 1.1 if direction == "sichuan_to_chongqing" else 0.9
                keys.append((m, direction, kind, month_w[mi] * share * d * rng.uniform(0.9, 1.1)))
    counts = allocate(85_000, [k[3] for k in keys], minimum=1)
    rows = []
    for k, c in zip(keys, counts, strict=True):
        src, dst = k[1].split("_to_")
        rows.append([k[0], src, dst, k[2], c])
    write_csv(
        out / "insurance_transfers.csv", ["month", "from_province", "to_province", "insurance_type", "transfers"], rows
    )


def gen_benefit(out: Path, rng: Rng) -> None:
    keys = []
    month_w = ramp(MONTHS, 0.8, rng)
    for mi, m in enumerate(MONTHS):
        for prov, ps in (("sichuan", 0.55), ("chongqing", 0.45)):
            for kind, ks in (("pension", 0.9), ("work_injury", 0.1)):
                keys.append((m, prov, kind, month_w[mi] * ps * ks * rng.uniform(0.9, 1.1)))
    counts = allocate(233_000, [k[3] for k in keys], minimum=1)
    write_csv(
        out / "benefit_certifications.csv",
        ["month", "province", "benefit_type", "certifications"],
        [[k[0], k[1], k[2], c] for k, c in zip(keys, counts, strict=True)],
    )


def gen_cards(out: Path, rng: Rng) -> None:
    latest = allocate(125_000_000, [c[4] * 1.03 if c[1] == "sichuan" else c[4] for c in CITIES])
    rows = []
    n = len(MONTHS)
    for ci, c in enumerate(CITIES):
        start_share = rng.uniform(0.88, 0.93)
        for mi, m in enumerate(MONTHS):
            share = start_share + (1 - start_share) * (mi / (n - 1))
            value = latest[ci] if mi == n - 1 else int(round(latest[ci] * share))
            rows.append([m, c[1], c[0], value])
    write_csv(out / "card_holders.csv", ["month", "province", "city_id", "cardholders"], rows)
    outlet_city = allocate(3178, [c[4] for c in CITIES], minimum=3)
    month_w = ramp(MONTHS, 0.5, rng)
    outlets = []
    k = 0
    for ci, c in enumerate(CITIES):
        for _ in range(outlet_city[ci]):
            k += 1
            outlets.append([f"O{k:04d}", c[1], c[0], MONTHS[rng.weighted(month_w)]])
    write_csv(out / "card_outlets.csv", ["outlet_id", "province", "city_id", "opened_month"], outlets)


def gen_personal_pension(out: Path, rng: Rng) -> None:
    months = months_between((2022, 11), LAST_MONTH)
    rows = []
    level = 0.0
    steps = [rng.uniform(0.6, 1.4) * (2.5 if i == 0 else 1.0) for i in range(len(months))]
    total = sum(steps)
    for i, m in enumerate(months):
        level += steps[i]
        value = 2_020_000 if i == len(months) - 1 else int(round(2_020_000 * level / total))
        rows.append([m, "chongqing", value])
    write_csv(out / "personal_pension_accounts.csv", ["month", "province", "accounts"], rows)


def gen_data_exchange(out: Path, rng: Rng) -> None:
    keys = []
    pension_months = months_between((2021, 6), LAST_MONTH)
    w = ramp(pension_months, 1.0, rng, noise=0.25)
    for mi, m in enumerate(pension_months):
        for dataset, ds in (("pension_enrolment", 0.62), ("pension_benefit", 0.38)):
            for direction, dd in (("sichuan_to_chongqing", 0.56), ("chongqing_to_sichuan", 0.44)):
                keys.append((m, dataset, direction, w[mi] * ds * dd))
    pension = allocate(140_000_000, [k[3] for k in keys], minimum=1)
    rows = [[k[0], k[1], *k[2].split("_to_"), c] for k, c in zip(keys, pension, strict=True)]
    grad_keys = []
    grad_months = months_between((2022, 1), LAST_MONTH)
    gw = ramp(grad_months, 0.6, rng, noise=0.3)
    for mi, m in enumerate(grad_months):
        boost = 2.5 if m[-2:] in ("06", "07", "08") else 1.0
        for direction, dd in (("sichuan_to_chongqing", 0.6), ("chongqing_to_sichuan", 0.4)):
            grad_keys.append((m, "graduate_unemployed", direction, gw[mi] * boost * dd))
    grads = allocate(207_000, [k[3] for k in grad_keys], minimum=1)
    rows += [[k[0], k[1], *k[2].split("_to_"), c] for k, c in zip(grad_keys, grads, strict=True)]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    write_csv(out / "data_exchange.csv", ["month", "dataset", "from_province", "to_province", "records"], rows)


def gen_programmes(out: Path, rng: Rng) -> None:
    """Monthly programme counts: talents, trainees, researchers, postdocs."""
    rows = []

    def spread(programme: str, total: int, months: list[str], provinces: dict[str, float]) -> None:
        keys = [(m, p, rng.uniform(0.6, 1.4) * s) for m in months for p, s in provinces.items()]
        for (m, p, _), c in zip(keys, allocate(total, [k[2] for k in keys]), strict=True):
            if c:
                rows.append([m, p, programme, c])

    spread("talents_introduced", 12_000, months_between((2023, 1), LAST_MONTH), {"chongqing": 1.0})
    spread("digital_skill_talents", 85_000, months_between((2021, 6), LAST_MONTH), {"sichuan": 0.55, "chongqing": 0.45})
    spread("researchers_exchanged", 105, months_between((2021, 9), LAST_MONTH), {"sichuan": 0.5, "chongqing": 0.5})
    spread("postdocs_joint", 37, ["2021-09", "2022-03", "2022-09", "2023-03"], {"sichuan": 0.5, "chongqing": 0.5})
    # Two batches of researchers placed, as the report says.
    for m, c in zip(["2022-03", "2023-03"], allocate(392, [0.45, 0.55]), strict=True):
        rows.append([m, "chongqing", "researchers_placed", c])
    rows.sort(key=lambda r: (r[2], r[0], r[1]))
    write_csv(out / "programme_activity.csv", ["month", "province", "programme", "value"], rows)


def gen_events(out: Path, rng: Rng) -> None:
    cq = [c for c in CITIES if c[1] == "chongqing"]
    cq_w = [c[4] for c in cq]
    rows = []
    for programme, n, months in (
        ("talent_event", 196, months_between((2023, 1), LAST_MONTH)),
        ("livestream_recruitment", 163, months_between((2022, 3), LAST_MONTH)),
    ):
        for _ in range(n):
            m = months[rng.integer(0, len(months) - 1)]
            day = rng.integer(1, 28)
            city = cq[rng.weighted(cq_w)][0]
            rows.append([f"{m}-{day:02d}", "chongqing", city, programme])
    rows.sort()
    prefix = {"talent_event": "TE", "livestream_recruitment": "LS"}
    seq = {"talent_event": 0, "livestream_recruitment": 0}
    out_rows = []
    for d, p, c, prog in rows:
        seq[prog] += 1
        out_rows.append([f"{prefix[prog]}{seq[prog]:04d}", d, p, c, prog])
    write_csv(out / "programme_events.csv", ["event_id", "event_date", "province", "city_id", "programme"], out_rows)


# metric -> list of (date, {province: value}); the last snapshot gives the published figure.
MILESTONES: dict[str, list[tuple[str, dict[str, int]]]] = {
    "returnee_business_parks": [
        ("2021-12-31", {"sichuan": 301, "chongqing": 172}),
        ("2022-12-31", {"sichuan": 338, "chongqing": 199}),
        ("2023-08-29", {"sichuan": 362, "chongqing": 221}),
    ],
    "senior_startup_mentors": [("2022-11-15", {"joint": 6})],
    "labour_relations_coordinators": [
        ("2021-12-31", {"joint": 200}),
        ("2022-12-31", {"joint": 300}),
        ("2023-08-29", {"joint": 400}),
    ],
    "returnee_startup_contest_projects": [("2023-07-20", {"joint": 400})],
    "overseas_exam_catalogue_items": [("2022-09-30", {"joint": 40})],
    "talent_card_shared_services": [("2022-06-30", {"joint": 3}), ("2023-05-31", {"joint": 6})],
    "craftsman_training_zones": [("2022-10-31", {"joint": 1}), ("2023-06-30", {"joint": 2})],
    "card_services_fully_shared": [("2021-09-30", {"joint": 6}), ("2022-09-30", {"joint": 10})],
    "libraries_card_lending": [
        ("2022-04-30", {"sichuan": 52, "chongqing": 41}),
        ("2023-08-29", {"sichuan": 71, "chongqing": 58}),
    ],
    "suitong_card_functions": [("2022-08-31", {"joint": 15}), ("2023-08-29", {"joint": 23})],
    "suitong_card_fields": [("2022-08-31", {"joint": 3}), ("2023-08-29", {"joint": 4})],
}


def gen_milestones(out: Path) -> None:
    rows = []
    for metric, snaps in MILESTONES.items():
        for d, values in snaps:
            for prov, v in values.items():
                rows.append([metric, d, prov, v])
    write_csv(out / "milestones.csv", ["metric", "record_date", "province", "value"], rows)


def gen_settlement(out: Path, rng: Rng) -> None:
    """Pension-transfer fund settlements: case counts and processing days before/after the reform."""
    rows = []
    for m in months_between((2022, 1), LAST_MONTH):
        for prov in PROVINCES:
            cases = rng.integer(800, 1500)
            baseline = cases * 45
            actual = int(round(baseline * rng.uniform(0.27, 0.31)))
            rows.append([m, prov, cases, baseline, actual])
    write_csv(out / "transfer_settlements.csv", ["month", "province", "cases", "baseline_days", "actual_days"], rows)


# -- plans, progress reports and milestones (issue 13) -------------------------------------------------
# Their own random stream, so every dataset above keeps the draws of the first release.
SUPERVISION_SEED = SEED + 13
PARTIES = ("ministry", "sichuan", "chongqing")
REVIEWER = "joint.office"
MISSING_IN_AUGUST = 9  # tasks with no report for 2023-08 after the deadline: the sample's 催报 list
PLANS: list[list[object]] = [
    [
        "agreement",
        "部省市人力资源社会保障战略合作协议",
        "Ministry–Province–Municipality Strategic Cooperation Agreement on HR and Social Security",
        "人力资源社会保障部、四川省人民政府、重庆市人民政府",
        "The Ministry of Human Resources and Social Security and the governments of Sichuan and Chongqing",
        date(2021, 1, 1),
        AGREEMENT_DUE,
        0,
    ],
    [
        "annual_2023",
        "2023年度川渝人社合作重点任务清单(示意)",
        "2023 annual list of key cooperation tasks (illustrative)",
        "深化川渝人社合作部省市联席会议办公室",
        "Office of the joint ministry–province–municipality conference on Sichuan–Chongqing HR cooperation",
        date(2023, 1, 1),
        date(2023, 12, 31),
        1,
    ],
]
ISSUES = [
    "跨省数据接口联调进度慢于预期",
    "配套政策尚待两地同步出台",
    "试点地区经办力量不足",
    "部分市(州)数据质量待提升",
]
BLOCKERS = ["需部级层面协调数据共享授权", "资金结算规则尚未达成一致", "系统改造经费尚未落实"]
NEXT_STEPS = ["下月完成阶段性目标", "推动两地联合印发实施细则", "开展试点评估并总结经验", "扩大覆盖范围至全部市(州)"]
TASK_MILESTONES = [("完成实施方案", "Implementation plan drawn up"), ("试点上线运行", "Pilot goes live")]


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def periods_of(t: Task, missing: set[str]) -> list[date]:
    """The months a task reported on: from its start to its completion (or the as-of month)."""
    if t.start > AS_OF:
        return []
    first, last = month_start(t.start), month_start(t.done or AS_OF)
    out = []
    while first <= last:
        out.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return out[:-1] if t.task_id in missing else out


def gen_annual(rng: Rng) -> list[Task]:
    """The illustrative 2023 annual list: some done, some overdue, the rest under way."""
    leads = ["joint", "sichuan", "chongqing", "ministry", "sichuan", "chongqing"]
    rows = []
    for k, (area, zh, en) in enumerate(ANNUAL_2023_TITLES, 1):
        lead = leads[rng.integer(0, len(leads) - 1)]
        start = date(2023, rng.integer(1, 4), 1)
        due = date(2023, rng.integer(6, 12), 28)
        if k % 4 == 0:
            done: date | None = date(2023, rng.integer(start.month + 2, 8), rng.integer(1, 20))
            progress = 100
        else:
            done, progress = None, rng.integer(20, 85)
        rows.append(Task(f"Y23{k:02d}", "annual_2023", area, zh, en, lead, start, due, done, progress))
    return rows


def reporting_party(t: Task, rng: Rng) -> str:
    """Who reports: the lead, or for a jointly led task the party named for it."""
    return t.lead if t.lead != "joint" else PARTIES[rng.integer(0, len(PARTIES) - 1)]


def cooperating(t: Task, reporter: str) -> str:
    """The other parties a task names: all of them for a joint task, the other province for a province's."""
    if t.lead == "joint" or t.lead == "ministry":
        return ";".join(p for p in PARTIES if p != reporter)
    return "chongqing" if t.lead == "sichuan" else "sichuan"


def state_of(t: Task, i: int, n: int, rng: Rng) -> str:
    """A report's state: completed at the end, at risk or blocked near the end of a task that ran late."""
    if t.done is not None and i == n - 1:
        return "completed"
    x = rng.random()
    if t.done is None and t.due < AS_OF and i >= n - 3:
        return "blocked" if x < 0.3 else "at_risk"
    return "at_risk" if x < 0.1 else "on_track"


def report_rows(t: Task, party: str, missing: set[str], rng: Rng) -> list[list[object]]:
    """A task's approved monthly reports, arriving at its latest progress (100 and the date when done)."""
    months = periods_of(t, missing)
    rows: list[list[object]] = []
    previous = 0
    for i, m in enumerate(months):
        last = i == len(months) - 1
        share = (i + 1) / len(months)
        p = t.progress if last else min(t.progress, max(previous, round(t.progress * share * rng.uniform(0.8, 1.0))))
        state = state_of(t, i, len(months), rng)
        submitted = date(m.year, m.month, rng.integer(12, 24))
        done = t.done if state == "completed" else None
        if done is not None:
            submitted = max(submitted, done)
        approved = min(submitted + timedelta(days=rng.integer(1, 4)), AS_OF)
        note = "已全面完成,成果已投入使用。" if done else f"本期推进{p - previous}个百分点,累计完成{p}%。"
        issue = {"at_risk": ISSUES, "blocked": BLOCKERS}.get(state)
        issues = issue[rng.integer(0, len(issue) - 1)] if issue else ""
        nxt = "" if done else NEXT_STEPS[rng.integer(0, len(NEXT_STEPS) - 1)]
        rows.append(
            [t.task_id, f"{m:%Y-%m}", p, state, done or "", note, issues, nxt, "", f"{party}.office", submitted]
            + [REVIEWER, approved]
        )
        previous = p
    return rows


def gen_supervision(out: Path, agreement: list[Task]) -> None:
    """plans.csv, tasks.csv (the agreement's 97 and the annual list), task_milestones.csv, task_reports.csv."""
    rng = Rng(SUPERVISION_SEED)
    tasks = agreement + gen_annual(rng)
    parties = {t.task_id: reporting_party(t, rng) for t in tasks}
    expecting = [t for t in tasks if t.done is None and month_start(t.start) < month_start(AS_OF)]
    order = sorted(expecting, key=lambda t: (rng.random(), t.task_id))
    missing = {t.task_id for t in order[:MISSING_IN_AUGUST]}
    write_csv(
        out / "plans.csv",
        ["plan_id", "name_zh", "name_en", "issuer_zh", "issuer_en", "start_date", "due_date", "illustrative"],
        PLANS,
    )
    write_csv(
        out / "tasks.csv",
        ["task_id", "plan_id", "area_id", "title_zh", "title_en", "lead_party", "reporting_party", "cooperating"]
        + ["start_date", "due_date", "updated_on"],
        [
            [t.task_id, t.plan_id, t.area, t.title_zh, t.title_en, t.lead, parties[t.task_id]]
            + [cooperating(t, parties[t.task_id]), t.start, t.due, AS_OF]
            for t in tasks
        ],
    )
    milestones = []
    for k, t in enumerate(tasks):
        if t.done is None and t.start <= AS_OF and k % 5 == 0:
            for j, (zh, en) in enumerate(TASK_MILESTONES):
                when = min(t.start + timedelta(days=60 + 120 * j), t.due)
                milestones.append([t.task_id, when, zh, en])
    write_csv(out / "task_milestones.csv", ["task_id", "due_date", "title_zh", "title_en"], milestones)
    reports = [r for t in tasks for r in report_rows(t, parties[t.task_id], missing, rng)]
    write_csv(
        out / "task_reports.csv",
        ["task_id", "period", "progress_pct", "state", "completed_on", "progress_note", "issues", "next_steps"]
        + ["evidence", "reporter", "submitted_on", "reviewer", "approved_on"],
        reports,
    )


# -- the register of published figures ----------------------------------------------------------------
SEED_REPORT = [
    "R2023-08-29",
    "深化川渝人社合作部省市联席会议第一次会议举行(新闻报道)",
    "First meeting of the joint ministry–province–municipality conference on Sichuan–Chongqing HR cooperation "
    "(news report)",
    "新闻报道(原文未注明发布单位)",
    "News report (the publisher is not named in the text)",
    AS_OF,
    "",
]
# How each figure of the seed's report is counted (口径), read from its quote; every other one is cumulative since
# the agreement was signed.
AS_OF_FIGURES = {
    "agreement_tasks_total",
    "agreement_areas",
    "agreement_tasks_completed",
    "returnee_business_parks",
    "senior_startup_mentors",
    "labour_relations_coordinators",
    "returnee_startup_contest_projects",
    "personal_pension_accounts_cq",
    "overseas_exam_catalogue_items",
    "talent_card_shared_services",
    "craftsman_training_zones",
    "cross_province_service_items",
    "cross_province_service_batches",
    "card_service_outlets",
    "card_services_fully_shared",
    "cardholders",
    "libraries_card_lending",
    "suitong_card_functions",
    "suitong_card_fields",
}
IN_YEAR_FIGURES = {"talent_events_cq_2023", "talent_introduced_cq"}
PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "published_figures.csv"  # the seed's figures (input)


def basis_of(figure_id: str) -> str:
    return "as_of" if figure_id in AS_OF_FIGURES else "in_year" if figure_id in IN_YEAR_FIGURES else "cumulative"


def gen_register(out: Path) -> None:
    """published_reports.csv (the seed's report first) and published_values.csv (its figures, with 口径)."""
    write_csv(
        out / "published_reports.csv",
        ["report_id", "title_zh", "title_en", "publisher_zh", "publisher_en", "published_on", "link"],
        [SEED_REPORT],
    )
    with PUBLISHED.open(encoding="utf-8", newline="") as f:
        figures = list(csv.DictReader(f))
    write_csv(
        out / "published_values.csv",
        ["report_id", "figure_id", "value", "basis", "as_of", "comparison", "quote_zh"],
        [
            [
                SEED_REPORT[0],
                r["figure_id"],
                r["value"],
                basis_of(r["figure_id"]),
                AS_OF,
                r["comparison"],
                r["quote_zh"],
            ]
            for r in figures
        ],
    )


def main(argv: list[str] | None = None) -> int:
    """Rebuild every sample CSV."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "data"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = Rng(SEED)
    gen_cities(out)
    gen_industries(out)
    tasks = gen_tasks(rng)
    gen_job_postings(out, rng)
    gen_services(out, rng)
    gen_insurance(out, rng)
    gen_benefit(out, rng)
    gen_cards(out, rng)
    gen_personal_pension(out, rng)
    gen_data_exchange(out, rng)
    gen_programmes(out, rng)
    gen_events(out, rng)
    gen_milestones(out)
    gen_settlement(out, rng)
    gen_supervision(out, tasks)
    gen_register(out)
    print(f"wrote sample data to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
