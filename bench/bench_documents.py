"""Document text extraction against Kiwi's analysis of the same text.

Reading an HWP, HWPX or PDF file into a record may cost at most 10% of what the indexer's batch
analysis (`index.analysis.analyze_many` on the title and body) needs for it. Measured on the
files in ../shared/data/documents (where present), on a generated folder of ten PDFs of 1-12
pages (press releases to short reports) and on a generated 300-page PDF, all in Korean with
reportlab's CID font; each figure is the median of `--repeat` runs, reading and analysing
alternated, in CPU time (robust on a shared machine) and in wall-clock time.
Then the peak memory of a fresh process reading 30-, 300- and 500-page PDFs: pages stream.

    python bench/bench_documents.py [--data ../shared/data/documents] [--pages 300] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from documents_samples import write_pdf  # noqa: E402

from index.analysis import analyze_many  # noqa: E402
from index.documents import read_document  # noqa: E402
from index.readers import Record  # noqa: E402

SENTENCES = [
    "정부는 지역 균형 발전을 위해 공공기관 이전 계획을 단계별로 추진한다고 밝혔다.",
    "이번 조치로 중소기업의 연구개발 투자 부담이 연간 약 {n}억 원 줄어들 것으로 보인다.",
    "국토교통부는 노후 교량 {n}곳에 대한 정밀 안전 진단을 다음 달까지 마칠 예정이다.",
    "보건복지부 관계자는 돌봄 인력의 처우 개선이 가장 시급한 과제라고 설명했다.",
    "환경부는 미세먼지 저감을 위해 배출 허용 기준을 {n}% 강화하는 방안을 검토 중이다.",
    "교육청은 농어촌 학교의 통학 지원 예산을 지난해보다 늘려 편성했다.",
    "의견이 있는 기관이나 개인은 {n}일까지 서면으로 제출하면 된다.",
]


def long_pdf(folder: Path, pages: int, lines: int = 30, name: str = "") -> Path:
    """A `pages`-page report, `lines` lines a page, with a running header and page numbers."""
    body = [[SENTENCES[(p + i) % len(SENTENCES)].format(n=(p * 31 + i) % 97 + 3)
             for i in range(lines)] for p in range(pages)]
    return write_pdf(folder / (name or f"report-{pages}p.pdf"), body, title="지역 정책 종합 보고서",
                     author="정책기획관실", header="2026 지역 정책 종합 보고서", footer="- {n} -")


# press releases, notices and short reports: pages each, 20 lines a page
POLICY_FOLDER = (1, 1, 2, 2, 2, 3, 4, 6, 8, 12)


def peak_rss_mb(path: Path) -> float:
    """Peak resident memory (VmHWM: ru_maxrss would include this process, which holds Kiwi,
    as it was when forked) of a fresh process that reads `path` into a record, in MB."""
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]); "
            "from index.documents import read_document; list(read_document(Path(sys.argv[1]))); "
            "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    out = subprocess.run([sys.executable, "-c", code, str(path), str(ROOT)], check=True,
                         capture_output=True, text=True).stdout
    return int(out) / 1024


@dataclass
class Cost:
    """Medians of `repeat` timings of one step: wall-clock and this process's CPU time (all
    threads: Kiwi's workers too). CPU time is what a loaded machine does not inflate."""

    wall: float
    cpu: float


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(path: Path, repeat: int) -> tuple[int, Cost, Cost | None]:
    """Characters of the body, the cost of reading `path` into a record and (when it is
    readable) of analysing its title and body, alternated run by run so both see the same load."""
    items = list(read_document(path))
    rec = items[-1] if items and isinstance(items[-1], Record) else None  # after any notes
    runs: list[tuple[float, float]] = []
    kiwi: list[tuple[float, float]] = []
    texts = [rec.title, rec.body] if rec is not None else []
    for _ in range(repeat):
        runs.append(timed(lambda: list(read_document(path))))
        if texts:
            kiwi.append(timed(lambda: list(analyze_many(texts))))

    def cost(times: list[tuple[float, float]]) -> Cost:
        return Cost(statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))

    return (len(rec.body) if rec else 0), cost(runs), (cost(kiwi) if kiwi else None)


class Totals:
    """Sums of median costs over a set of files (unreadable ones have no Kiwi figure)."""

    def __init__(self) -> None:
        self.extract = Cost(0.0, 0.0)
        self.kiwi = Cost(0.0, 0.0)

    def add(self, extract: Cost, kiwi: Cost | None) -> None:
        self.extract = Cost(self.extract.wall + extract.wall, self.extract.cpu + extract.cpu)
        if kiwi is not None:
            self.kiwi = Cost(self.kiwi.wall + kiwi.wall, self.kiwi.cpu + kiwi.cpu)

    def ratio(self) -> float:
        return self.extract.cpu / self.kiwi.cpu if self.kiwi.cpu else 0.0


def row(name: str, chars: int | str, extract: Cost, kiwi: Cost | None) -> None:
    text = f"{name:44} {chars:>7,} " if isinstance(chars, int) else f"{name:44} {chars:>7} "
    if kiwi is None:
        print(f"{text}{extract.cpu * 1000:11.2f} {'':>17} {extract.wall * 1000:12.2f}")
        return
    print(f"{text}{extract.cpu * 1000:11.2f} {kiwi.cpu * 1000:9.2f} {extract.cpu / kiwi.cpu:7.1%} "
          f"{extract.wall * 1000:12.2f} {kiwi.wall * 1000:9.2f} {extract.wall / kiwi.wall:7.1%}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "documents")
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    list(analyze_many(["초기화"]))  # load Kiwi outside the figures
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(p for p in args.data.glob("*/*") if p.suffix in (".hwp", ".hwpx", ".pdf")) \
            if args.data.exists() else []
        print(f"medians of {args.repeat} runs; cpu = this process's CPU time, wall = elapsed")
        print(f"{'file':44} {'chars':>7} {'extract cpu':>11} {'kiwi cpu':>9} {'ratio':>7} "
              f"{'extract wall':>12} {'kiwi wall':>9} {'ratio':>7}")
        fixtures, readable = Totals(), Totals()
        for path in files:
            chars, extract, kiwi = measure(path, args.repeat)
            row(f"{path.parent.name}/{path.name}", chars if kiwi else "reported", extract, kiwi)
            fixtures.add(extract, kiwi)
            if kiwi is not None:
                readable.add(extract, kiwi)
        if files:
            row("readable fixtures together", "", readable.extract, readable.kiwi)
            row("the fixtures, unreadable ones included", "", fixtures.extract, fixtures.kiwi)
        folder = Totals()
        made = Path(tmp) / "folder"
        made.mkdir()
        chars = 0
        for n, pages in enumerate(POLICY_FOLDER):
            size, extract, kiwi = measure(long_pdf(made, pages, 20, f"{n}.pdf"), args.repeat)
            folder.add(extract, kiwi)
            chars += size
        row(f"generated: {len(POLICY_FOLDER)} PDFs of {min(POLICY_FOLDER)}-{max(POLICY_FOLDER)} "
            "pages", chars, folder.extract, folder.kiwi)
        chars, extract, kiwi = measure(long_pdf(Path(tmp), args.pages), args.repeat)
        assert kiwi is not None
        row(f"generated: a {args.pages}-page PDF, 30 lines a page", chars, extract, kiwi)
        long = extract.cpu / kiwi.cpu
        for pages in (args.pages // 10, args.pages, args.pages * 5 // 3):
            pdf = long_pdf(Path(tmp), pages)
            print(f"peak memory reading a {pages}-page PDF ({pdf.stat().st_size / 1e6:.1f} MB): "
                  f"{peak_rss_mb(pdf):.0f} MB")
        print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    # Tiny fixtures (16-500 characters) are dominated by opening the container and by markup
    # around little text; the budget is for documents of real size (CPU time).
    ok = long <= 0.10 and folder.ratio() <= 0.10
    print(f"budget 10%: long PDF {long:.1%}, generated folder {folder.ratio():.1%}, "
          f"fixtures {fixtures.ratio():.1%}: {'met' if ok else 'NOT met'} for documents of real size")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
