"""What a course file really is, from its bytes: a name can say `.pdf` while the file is a web page.

An LMS serves a package's files by their names, and browsers sniff content, so a file must be what
its name says: an HTML page named `handout.pdf`, or a "picture" that is a script, would run on the
LMS's origin. PDFs are also checked for actions a reader runs on opening (JavaScript, launching
programs, submitting forms, loading other files).

Why a byte-level check of the PDF and not a PDF library: every byte of the file is looked at,
including objects that a parser walking the live document would skip (old revisions, unreferenced
objects) but a lenient reader repairing the file could still use; compressed object streams are
inflated with a budget; anything that cannot be checked (encryption, object streams in another
compression) is refused rather than trusted. It needs no new dependency and runs in milliseconds.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from .errors import Problem

MAX_INFLATED_BYTES = 64 * 1024 * 1024      # per PDF: object streams are small; more is a bomb

_MEDIA_HINT = "the file's contents do not match its name: export it again from the program that made it, with the right extension"


def _riff(kind: bytes):
    return lambda head: head[:4] == b"RIFF" and head[8:12] == kind


_SIGNATURES = {
    ".png": ("a PNG picture", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("a JPEG picture", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("a JPEG picture", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".gif": ("a GIF picture", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ".webp": ("a WebP picture", _riff(b"WEBP")),
    ".mp3": ("an MP3 sound", lambda head: head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)),
    ".m4a": ("an M4A sound", lambda head: head[4:8] == b"ftyp"),
    ".mp4": ("an MP4 video", lambda head: head[4:8] == b"ftyp"),
    ".ogg": ("an Ogg sound or video", lambda head: head.startswith(b"OggS")),
    ".wav": ("a WAV sound", _riff(b"WAVE")),
    ".webm": ("a WebM video", lambda head: head.startswith(b"\x1a\x45\xdf\xa3")),
    ".pdf": ("a PDF document", lambda head: head.startswith(b"%PDF-")),
    ".docx": ("a Word document", lambda head: head.startswith(b"PK\x03\x04")),
    ".xlsx": ("an Excel workbook", lambda head: head.startswith(b"PK\x03\x04")),
    ".pptx": ("a PowerPoint presentation", lambda head: head.startswith(b"PK\x03\x04")),
    ".odt": ("an OpenDocument text", lambda head: head.startswith(b"PK\x03\x04")),
    ".ods": ("an OpenDocument spreadsheet", lambda head: head.startswith(b"PK\x03\x04")),
    ".odp": ("an OpenDocument presentation", lambda head: head.startswith(b"PK\x03\x04")),
}
_RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
_OPEN_DOCUMENT = {".odt": "application/vnd.oasis.opendocument.text",
                  ".ods": "application/vnd.oasis.opendocument.spreadsheet",
                  ".odp": "application/vnd.oasis.opendocument.presentation"}
_TEXT = {".txt", ".csv", ".vtt"}


def check_content(path: Path, shown: str, suffix: str) -> list[Problem]:
    """Problems with a file whose bytes are not what its name says, or that could run something."""
    data = path.read_bytes()
    if suffix in _TEXT:
        return _check_text(data, shown, suffix)
    kind, matches = _SIGNATURES[suffix]
    if not matches(data[:64]):
        return [Problem(shown, 1, 1, f"the file is named {suffix} but is not {kind}{_looks_like(data)}", _MEDIA_HINT, code="CS608")]
    if suffix in _RASTER:
        return _check_picture(path, shown, kind)
    if suffix == ".pdf":
        return _check_pdf(data, shown)
    if suffix in (".docx", ".xlsx", ".pptx") or suffix in _OPEN_DOCUMENT:
        return _check_office(path, shown, suffix, kind)
    return []


def _looks_like(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<script", b"<head", b"<body")) or b"<script" in head:
        return " (it is a web page)"
    if head.startswith((b"<?xml", b"<svg")):
        return " (it is XML or SVG)"
    return ""


def _check_text(data: bytes, shown: str, suffix: str) -> list[Problem]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [Problem(shown, line, 1, f"the {suffix} file is not UTF-8 text",
                        "save it as UTF-8 (Save As... > Encoding: UTF-8)", code="CS608")]
    if "\x00" in text:
        return [Problem(shown, text.count("\n", 0, text.index("\x00")) + 1, 1,
                        f"the {suffix} file contains a NUL character, so it is not a text file", _MEDIA_HINT, code="CS608")]
    if suffix == ".vtt" and not text.startswith("WEBVTT"):
        return [Problem(shown, 1, 1, "a captions file must start with the line WEBVTT",
                        "export the captions again as WebVTT", code="CS608")]
    if text.lstrip().startswith("<"):
        # Browsers and some LMSs sniff text that starts like markup and show it as a page.
        return [Problem(shown, 1, 1, f"the {suffix} file starts like a web page or XML{_looks_like(data)}",
                        "a text download must be plain text; HTML cannot go into a package", code="CS608")]
    return []


def _check_picture(path: Path, shown: str, kind: str) -> list[Problem]:
    """The browser and WeasyPrint must be able to read the picture: Pillow reads it like WeasyPrint."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > 64_000_000:
                return [Problem(shown, 1, 1, f"the picture is {width}x{height} pixels, too large to show or print",
                                "scale it down to at most a few thousand pixels a side", code="CS608")]
            image.load()
    except Exception as exc:        # Pillow raises many kinds for a broken file
        return [Problem(shown, 1, 1, f"the file cannot be read as {kind} ({type(exc).__name__}: {exc})",
                        "open it in an image editor and save it again, e.g. as PNG", code="CS608")]
    return []


def _check_office(path: Path, shown: str, suffix: str, kind: str) -> list[Problem]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if suffix in _OPEN_DOCUMENT:
                ok = "mimetype" in names and archive.read("mimetype").strip() == _OPEN_DOCUMENT[suffix].encode()
            else:
                ok = "[Content_Types].xml" in names
            macros = any(name.lower().endswith("vbaproject.bin") or name.lower().startswith("basic/") for name in names)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return [Problem(shown, 1, 1, f"the file is named {suffix} but cannot be opened as {kind} ({exc})", _MEDIA_HINT, code="CS608")]
    if not ok:
        return [Problem(shown, 1, 1, f"the file is named {suffix} but is not {kind}", _MEDIA_HINT, code="CS608")]
    if macros:
        return [Problem(shown, 1, 1, f"the {kind} contains macros", "save a copy without macros (e.g. as .docx, not .docm)", code="CS608")]
    return []


# --- PDF -------------------------------------------------------------------------------------------

# Names that make a reader do something by itself or on a click: run script, start a program,
# send data, open other files, play embedded media, fill XFA forms.
_PDF_ACTIONS = {
    "JavaScript": "runs JavaScript", "JS": "runs JavaScript", "AA": "runs actions when it is opened or viewed",
    "Launch": "can start a program", "SubmitForm": "can send data", "ImportData": "can read other files",
    "GoToR": "opens other files", "GoToE": "opens embedded files", "RichMedia": "plays embedded media",
    "Rendition": "plays embedded media", "XFA": "holds an XFA form, which can run script",
    "EmbeddedFile": "carries embedded files",
}
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_OPEN_ACTION = re.compile(rb"\s*\[")


def _names(data: bytes):
    """Every PDF name in `data`, with `#xx` escapes decoded (/J#61vaScript is /JavaScript)."""
    for match in _NAME.finditer(data):
        raw = match.group(1)
        yield _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1"), match.end()


def _check_pdf(data: bytes, shown: str) -> list[Problem]:
    hint = ("export the PDF again without scripts, actions, attachments or forms "
            "(e.g. print it to PDF); a reader would run them inside the learner's session")
    reason = _pdf_reason(data, data)
    budget = [MAX_INFLATED_BYTES]
    if not reason:
        for dictionary, stream in _streams(data):
            names = {name for name, _ in _names(dictionary)}
            if not names & {"ObjStm", "XRef"}:
                continue        # page content, pictures, fonts: not objects a reader acts on
            inflated = _inflate(stream, budget) if "FlateDecode" in names else None
            if "XRef" in names:
                continue
            if inflated is None:
                reason = "has compressed objects that cannot be checked"
                break
            reason = _pdf_reason(inflated, inflated)
            if reason:
                break
    return [Problem(shown, 1, 1, f"the PDF {reason}", hint, code="CS608")] if reason else []


def _pdf_reason(objects: bytes, _data: bytes) -> str:
    for name, end in _names(objects):
        if name == "Encrypt":
            return "is encrypted, so it cannot be checked for scripts"
        if name in _PDF_ACTIONS:
            return f"{_PDF_ACTIONS[name]} (/{name})"
        if name == "OpenAction" and not _OPEN_ACTION.match(objects, end):
            # `/OpenAction [page /Fit]` only says where to open; anything else is an action.
            return "runs an action when it is opened (/OpenAction)"
    return ""


def _streams(data: bytes):
    """(dictionary before the stream, raw stream bytes) for each stream in the file."""
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        dictionary_start = data.rfind(b"obj", max(0, match.start() - 4096), match.start())
        yield data[max(dictionary_start, match.start() - 4096):match.start()], data[start:end]


def _inflate(stream: bytes, budget: list[int]) -> bytes | None:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(stream, budget[0] + 1)
    except zlib.error:
        return None
    budget[0] -= len(out)
    return None if budget[0] < 0 else out
