"""What the player hands to the packaging step: the SCOs, beside the files it hands over in memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sco:
    identifier_stem: str            # stable, from the course or module id; the manifest makes xs:IDs of it
    title: str
    launch: str                     # package-relative href of the SCO's HTML page, e.g. "index.html"
    module_ids: tuple[str, ...]     # the modules this SCO covers, in order
    mastery_percent: int | None     # pass mark the LMS may judge by; None when no quiz is required
