"""The only way WeasyPrint reads files: the course folder and coursesmith's templates, nothing else.

WeasyPrint's default fetcher would follow any URL an author (or a stylesheet) names, including
other files on the build machine and the network. A handout must depend only on the course and
the templates, so everything else is refused, and every refusal or missing file is remembered:
WeasyPrint only logs such failures, and the renderer turns each into a located Problem.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..svg import safe_svg_bytes


@dataclass(frozen=True)
class FetchFailure:
    url: str
    reason: str
    path: str = ""        # course-relative (or templates-relative) path when the URL names a file


class FetchRefused(ValueError):
    """A URL outside what a handout may read."""


class CourseURLFetcher(URLFetcher):
    """Serves `file:` URLs inside the allowed folders and `data:` URLs; refuses everything else."""

    def __init__(self, *allowed_dirs: Path):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed_dirs = tuple(Path(d).resolve() for d in allowed_dirs)
        self.failures: list[FetchFailure] = []

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url)
        except Exception as error:
            self.failures.append(FetchFailure(url, str(error), self.display_path(url)))
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url)
        if scheme != "file" or urlsplit(url).netloc not in ("", "localhost"):
            raise FetchRefused(f"only files inside the course folder can be used, not {url}")
        path = self.allowed_path(url)
        if not path.is_file():
            raise FileNotFoundError("file not found")
        mime_type, _ = mimetypes.guess_type(path.name)
        # Course SVGs print from the same checked rewrite the package ships (no outside loads).
        data = safe_svg_bytes(path, self.display_path(url)) if path.suffix.lower() == ".svg" else path.read_bytes()
        return URLFetcherResponse(
            path.as_uri(), data,
            {"Content-Type": mime_type or "application/octet-stream"})

    def allowed_path(self, url: str) -> Path:
        """The resolved file a `file:` URL names, if it lies inside an allowed folder."""
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
            raise FetchRefused(f"{url} is outside the course folder")
        return path

    def display_path(self, url: str) -> str:
        """The path an author recognises: relative to the allowed folder holding it."""
        if urlsplit(url).scheme.lower() != "file":
            return ""
        path = Path(unquote(urlsplit(url).path)).resolve()
        for folder in self.allowed_dirs:
            if path.is_relative_to(folder):
                return path.relative_to(folder).as_posix()
        return ""
