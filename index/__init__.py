"""Korean analysis and the Whoosh index behind kosearch (no user interface here)."""

from index.analysis import ANALYZER_VERSION, KiwiTokenizer, analyze, normalize
from index.indexer import IndexReport, discover, index_paths
from index.readers import Problem, Record, read_file
from index.store import FORMAT_VERSION, IndexError_, default_index_dir, open_existing

__all__ = [
    "ANALYZER_VERSION",
    "FORMAT_VERSION",
    "IndexError_",
    "IndexReport",
    "KiwiTokenizer",
    "Problem",
    "Record",
    "analyze",
    "default_index_dir",
    "discover",
    "index_paths",
    "normalize",
    "open_existing",
    "read_file",
]
