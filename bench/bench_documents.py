"""Document text extraction against Kiwi's analysis of the same text.

Reading an HWP, HWPX or PDF file into a record may cost at most 10% of what the indexer's batch
analysis (`index.analysis.analyze_many` on the title and body) needs for it. Measured on the
files in ../shared/data/documents (where present) and on a 300-page Korean PDF generated here
with reportlab's CID font; each figure is the best of `--repeat` runs, one after the other.
Then the peak memory of a fresh process reading 30-, 300- and 500-page PDFs: pages stream.

    python bench/bench_documents.py [--data ../shared/data/documents] [--pages 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def long_pdf(folder: Path, pages: int) -> Path:
    """A `pages`-page report, 30 lines a page, with a running header and page numbers."""
    body = [[SENTENCES[(p + i) % len(SENTENCES)].format(n=(p * 31 + i) % 97 + 3)
             for i in range(30)] for p in range(pages)]
    return write_pdf(folder / f"report-{pages}p.pdf", body, title="지역 정책 종합 보고서",
                     author="정책기획관실", header="2026 지역 정책 종합 보고서", footer="- {n} -")


def peak_rss_mb(path: Path) -> float:
    """Peak resident memory (VmHWM: ru_maxrss would include this process, which holds Kiwi,
    as it was when forked) of a fresh process that reads `path` into a record, in MB."""
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]); "
            "from index.documents import read_document; list(read_document(Path(sys.argv[1]))); "
            "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    out = subprocess.run([sys.executable, "-c", code, str(path), str(ROOT)], check=True,
                         capture_output=True, text=True).stdout
    return int(out) / 1024


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(path: Path, repeat: int) -> tuple[int, float, float] | None:
    items = list(read_document(path))
    rec = items[0] if len(items) == 1 and isinstance(items[0], Record) else None
    if rec is None:
        return None
    extract = best(lambda: list(read_document(path)), repeat)
    analyse = best(lambda: list(analyze_many([rec.title, rec.body])), repeat)
    return len(rec.body), extract, analyse


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "documents")
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    list(analyze_many(["초기화"]))  # load Kiwi outside the figures
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(p for p in args.data.glob("*/*") if p.suffix in (".hwp", ".hwpx", ".pdf")) \
            if args.data.exists() else []
        files.append(long_pdf(Path(tmp), args.pages))
        print(f"{'file':45} {'chars':>8} {'extract ms':>11} {'kiwi ms':>9} {'ratio':>7}")
        totals = [0.0, 0.0]
        long = 0.0
        for path in files:
            result = measure(path, args.repeat)
            generated = path.parent == Path(tmp)
            name = path.name if generated else f"{path.parent.name}/{path.name}"
            if result is None:
                print(f"{name:45} {'(not readable: reported)':>38}")
                continue
            chars, extract, analyse = result
            if generated:
                long = extract / analyse
            else:
                totals[0] += extract
                totals[1] += analyse
            print(f"{name:45} {chars:8,} {extract * 1000:11.1f} {analyse * 1000:9.1f} "
                  f"{extract / analyse:7.1%}")
        if totals[1]:
            print(f"{'all fixtures together':45} {'':8} {totals[0] * 1000:11.1f} "
                  f"{totals[1] * 1000:9.1f} {totals[0] / totals[1]:7.1%}")
        for pages in (args.pages // 10, args.pages, args.pages * 5 // 3):
            pdf = long_pdf(Path(tmp), pages)
            print(f"peak memory reading a {pages}-page PDF ({pdf.stat().st_size / 1e6:.1f} MB): "
                  f"{peak_rss_mb(pdf):.0f} MB")
        print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    # Tiny fixtures (16-500 characters) are dominated by opening the container; the budget
    # is for documents of real size: the long PDF and the fixtures taken together.
    ok = long <= 0.10 and (not totals[1] or totals[0] / totals[1] <= 0.10)
    print(f"budget 10%: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
