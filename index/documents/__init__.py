"""Reading the documents Korean public bodies publish: HWP, HWPX and PDF, one document a file."""

from index.documents.common import Document, Unreadable, page_of
from index.documents.read import DOCUMENT_SUFFIXES, read_document

__all__ = ["DOCUMENT_SUFFIXES", "Document", "Unreadable", "page_of", "read_document"]
