"""Every problem code coursesmith reports, in one table.

A code names a kind of problem, not one sentence: messages may be reworded, a code never changes
meaning, so scripts, CI filters and the authoring guide can rely on it. The README's "Problem
codes" lists this table (a test keeps the two the same).

To add a code: add one line below, in the block its number belongs to, and one line to the README.
CS1xx reading files, CS2xx YAML, CS3xx the shape of a file, CS4xx the course's structure,
CS5xx course rules, CS6xx page content and assets, CS7xx SCORM packages, CS8xx handouts,
CS9xx writing the build and coursesmith itself.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "CS101": "the course folder, or its course.yaml, does not exist",
    "CS102": "a course file cannot be read: a folder, a broken or outside link, no permission",
    "CS103": "a course file is too large",
    "CS104": "a course file is not plain UTF-8 text (binary, NUL or invisible control characters)",
    "CS201": "YAML syntax error",
    "CS202": "a YAML feature course files do not allow (tags, aliases, merge keys, complex keys)",
    "CS203": "a key is given twice in one YAML mapping",
    "CS204": "a YAML document is nested too deeply or has too many values",
    "CS301": "unknown key",
    "CS302": "a required key is missing",
    "CS303": "a value of the wrong kind (text, number, list, mapping, true/false)",
    "CS304": "a value that is not allowed here (out of range, not one of the choices, bad pattern, empty)",
    "CS305": "a file that should be a mapping of keys is empty or is something else",
    "CS401": "a module or page named in a list is missing, outside the course, or the wrong kind of file",
    "CS402": "a module or page is listed twice",
    "CS403": "a module or page file name is not allowed, or clashes with another",
    "CS404": "a module has no pages, or a page is in the folder but not listed",
    "CS405": "a page's front matter is missing, misplaced or not closed",
    "CS501": "a theme colour is too light or too dark to read text on",
    "CS502": "a quiz named in `completion: quizzes:` is not a module with a quiz, or cannot be passed",
    "CS503": "the course is empty, or larger than coursesmith supports",
    "CS504": "the handouts would hold only quizzes",
    "CS505": "a question id is used twice in the course",
    "CS506": "a question cannot be answered as written (options, correct answers, pairs, items, scale)",
    "CS507": "a question has no type or an unknown one, or is not a mapping",
    "CS508": "a quiz draws more questions than it has",
    "CS509": "a question names an objective its module does not list",
    "CS601": "raw HTML in a page that is not allowed (elements, attributes, URLs, nesting, open comments)",
    "CS602": "a link or image that is unsafe, outside the course, or names a missing file",
    "CS603": "an image without alt text",
    "CS604": "an unknown admonition kind",
    "CS605": "a facilitator note that is misplaced or mistyped",
    "CS606": "a course file of a type that cannot go into a package, or too large",
    "CS607": "an SVG picture that could run code or load other files",
    "CS608": "a course file whose bytes are not what its name says, or that could run something (macros)",
    "CS609": "a page larger than coursesmith supports (blocks, table rows, footnotes, elements)",
    "CS610": "a video without captions",
    "CS701": "the learner's progress could outgrow what the SCORM version lets a package store",
    "CS702": "a package's manifest breaks the official SCORM schemas",
    "CS703": "a package's manifest breaks a SCORM rule the schemas cannot express",
    "CS704": "a package's files and its manifest disagree, or a file name LMS importers mishandle",
    "CS705": "a course file would overwrite a player or SCORM file in the package",
    "CS706": "a theme value the player or handout cannot use (colour, font)",
    "CS707": "the SCORM schemas shipped with coursesmith are missing or refer to the network",
    "CS708": "an unknown SCORM version",
    "CS709": "a package that unpacks far larger than it is (an LMS stores it unpacked)",
    "CS801": "a handout cannot be printed completely (an image, stylesheet or font cannot be loaded)",
    "CS901": "the build output cannot be written",
    "CS902": "the build would replace the course folder or a folder that is not a previous build",
    "CS903": "two courses in one build have the same id",
    "CS904": "a new course cannot be created",
    "CS905": "the preview cannot start (scorm-again missing, the port taken)",
    "CS906": "the release record (releases.lock) cannot be read, so earlier releases are not known",
    "CS907": "a version number already recorded for a release with other pages, questions or rules",
    "CS908": "a release `coursesmith diff` was given cannot be read (not a course folder, zip or git revision)",
    "CS999": "a bug in coursesmith (not a mistake in the course)",
}
