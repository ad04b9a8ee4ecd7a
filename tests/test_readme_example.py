"""The README's library example runs as written and prints what it promises, so it cannot drift
from the API: the code block is read from README.md and run against the sample corpus."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def library_example() -> str:
    """The first Python block of the README's "Library API" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Library API\n", 1)[1].split("\n#", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "no python block in the Library API section"
    return found.group(1)


EXPECTED = """\
3 all None
sample-011 2025-10-31 정책브리핑 젠슨 황, 경주서 'GPU 26만 장' 보따리…정부·대기업과 피지컬 AI 동맹
    ['엔비디아']
    ['엔비디아', '수출']
sample-013 2025-01-28 과학기술신문 딥시크 R1 쇼크에 美 기술주 급락…中 “알고리즘 주권 시대 열렸다”
    ['엔비디아', '엔비디아']
    ['수출']
sample-007 2025-07-16 경제투데이 H20 중국 판매 길 다시 열렸다…젠슨 황 “중국 시장 결코 포기 못 해”
    ['엔비디아', 'Nvidia', '수출', '수출']
    ['수출']
756 ['엔비디아', '엔비디아', '엔비디아', '수출']
('엔비디아', '수출')
"""


def run_example(code: str, index: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter (as a user would run it) with `KOSEARCH_INDEX` set."""
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    root = str(README.parent)
    env = {**os.environ, "KOSEARCH_INDEX": str(index), "PYTHONPATH": root,
           "PYTHONIOENCODING": "utf-8", "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)


def test_the_readme_library_example_runs_and_prints_what_it_says(sample_index: Path,
                                                                  tmp_path: Path) -> None:
    proc = run_example(library_example(), sample_index, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == EXPECTED


def test_the_readme_example_says_what_is_wrong_with_a_folder_that_is_no_index(
        tmp_path: Path) -> None:
    """The example's error branch: a folder kosearch did not create is refused with advice."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "memo.txt").write_text("메모", encoding="utf-8")
    proc = run_example(library_example(), folder, tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith(f"{folder} is not a kosearch index (no kosearch-index.json)")
