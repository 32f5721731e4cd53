"""Every word the learner's player shows, in one table.

The player's page template and its JavaScript both read this catalogue: the template through
`text()` at build time, the scripts through the copy embedded in course.json (`"text"`), so no
wording lives in a script or in markup. Placeholders are `{name}`; a key with `-one` and
`-other` forms is chosen by `plural()` (and by the player's `plural()` in player.js).

One language for now: the localisation work swaps this table per course language.
"""

from __future__ import annotations

from markupsafe import Markup, escape

CATALOGUE: dict[str, str] = {
    # the page around the course
    "skip-link": "Skip to content",
    "contents": "Contents",
    "contents-label": "Course contents",
    "pager-label": "Previous and next",
    "previous": "Previous",
    "next": "Next",
    "finish": "Save and finish",
    "not-tracking": "Preview: no learning management system is recording this visit. "
                    "Your progress is kept in this browser only.",
    "lms-refused": "Your learning management system is not recording this visit. To keep your progress, "
                   "close this window and open the course again from your learning management system.",
    "review-mode": "Review: your learning management system has opened this course to look back at what it "
                   "recorded. Nothing you do now is recorded, and the quizzes cannot be answered again. To try "
                   "again, leave the course and start a new attempt in your learning management system (in "
                   "Moodle: tick “Start a new attempt” before you press Enter).",
    "no-credit": "Your learning management system keeps your place in this visit but no result: your answers, "
                 "score and status are not recorded.",
    "noscript": "This course needs JavaScript to run. Please turn it on, or open the course from your "
                "learning management system.",
    "objectives": "In this module you will",
    "document-title": "{step} – {course}",
    # progress and status (the status words match what the LMS is told)
    "progress": "{seen} of {total} pages viewed",
    "position-page": "Page {number} of {total}",
    "position-quiz": "Quiz {number} of {total}",
    "status-incomplete": "In progress",
    "status-review": "Review only",
    "status-completed": "Completed",
    "status-completed-unknown": "Completed, not passed yet",
    "status-passed": "Passed",
    "status-failed": "Not passed",
    "step-viewed": "(viewed)",
    "quiz-passed": "(passed)",
    "quiz-failed": "(not passed)",
    "quiz-taken": "(taken)",
    "saving-failed": "Your progress could not be saved: don't close this window. Trying again…",
    "saved-again": "Your progress is saved again.",
    # the LMS refusing or losing the learner's progress (the player never overwrites what it has not read)
    "not-recorded": "Your progress is not being recorded: don't close this window. "
                    "Your learning management system refuses it.",
    "not-read": "Your progress is not being recorded: don't close this window. Your learning management "
                "system did not give back your earlier progress, so nothing is saved until it does. Trying again…",
    "lms-gone": "Your progress is not being recorded: don't close this window. "
                "The connection to your learning management system was lost.",
    "local-copy-title": "Progress saved in this browser",
    "local-copy-text": "Your learning management system returned no progress for you, but this browser kept "
                       "a copy from your last visit. Do you want to carry on from there?",
    "local-copy-accept": "Carry on from there",
    "local-copy-decline": "Start from the beginning",
    "finished-not-saved": "Your learning management system did not confirm that your progress was saved. "
                          "A copy is kept in this browser: open the course again from your learning "
                          "management system in this browser, or tell your course administrator.",
    # a new release of the course, on resume (builder/releases.py, state.js)
    "release-updated": "This course has been updated since your last visit; your progress has been kept.",
    "release-answers-reset": "Questions changed: {count} of your answers in a quiz you were taking were reset.",
    "release-pages-removed": "{count} of the pages you had viewed are no longer in the course.",
    "release-quizzes-removed": "{count} quiz results belong to quizzes that are no longer in the course.",
    "release-unknown": "Your earlier progress was saved by a version of this course that this one cannot "
                       "read, so the course starts from the beginning.",
    # a quiz's introduction
    "quiz-asks-one": "This quiz asks {count} question.",
    "quiz-asks-other": "This quiz asks {count} questions.",
    "survey-asks-one": "This survey asks {count} question. Your answers are not scored.",
    "survey-asks-other": "This survey asks {count} questions. Your answers are not scored.",
    "pass-mark": "The pass mark is {mark}%.",
    "attempts-one": "You can take it {count} time; your best score counts.",
    "attempts-other": "You can take it {count} times; your best score counts.",
    "attempts-any": "You can take it as many times as you like; your best score counts.",
    "answers-after_each": "After each answer you will see whether it is right, and the right answer.",
    "answers-at_end": "You will see which answers were right when you finish.",
    "answers-never": "You will see whether each answer is right, but not the right answers.",
    "quiz-required": "You need to pass this quiz to pass the course.",
    "start-quiz": "Start the quiz",
    "start-survey": "Start the survey",
    # questions
    "question-number": "Question {number} of {total}:",
    "choose-all": "Choose all that apply.",
    "true": "True",
    "false": "False",
    "your-answer": "Your answer",
    "your-number": "Your answer (a number)",
    "choose-match-hint": "Choose the match for each item.",
    "choose-match": "Choose a match",
    "ordering-hint": "Put the items in order, the first at the top: drag an item by its handle, or use "
                     "its buttons.",
    "drag-handle": "Drag to move: {item}",
    "move-up": "Move up",
    "move-down": "Move down",
    "move-top": "Move to top",
    "moved": "{item}: now number {position} of {total}.",
    "check": "Check answer",
    "save-answer": "Save answer",
    "submit": "Submit",
    "choose-first": "Choose an answer first.",
    "type-first": "Type your answer first.",
    "number-first": "Type a number, for example 12 or 2.5.",
    "match-first": "Choose a match for every item first.",
    # feedback
    "verdict-correct": "Correct.",
    "verdict-incorrect": "Not quite.",
    "verdict-neutral": "Thank you, your answer is recorded.",
    "verdict-saved": "Your answer is saved. You will see whether it is right when you finish.",
    "mark-chosen-correct": "Your answer, correct",
    "mark-chosen-incorrect": "Your answer, not correct",
    "mark-chosen": "Your answer",
    "mark-correct": "Correct answer",
    "right-answer": "The right answer: {answer}",
    "right-answers": "Accepted answers: {answer}",
    "right-order": "The right order: {answer}",
    "list-separator": "; ",
    "text-not-kept": "Your typed answer was not kept from your last visit; its result was.",
    # the end of an attempt
    "unanswered-one": "Answer every question to see your result. Still to answer: {list}.",
    "unanswered-other": "Answer every question to see your result. Still to answer: {list}.",
    "question-ref": "question {number}",
    "see-result": "See your result",
    "results-title": "Your result",
    "score": "Your score this time: {last}%. Your best score: {best}%. The pass mark is {mark}%.",
    "right-count": "You answered {right} of {total} scored questions correctly.",
    "result-passed": "You have passed this quiz.",
    "result-retry": "You have not reached the pass mark yet.",
    "result-failed": "You have used all your attempts without reaching the pass mark.",
    "result-survey": "Thank you: your answers are recorded.",
    "attempts-left": "Attempts left: {count}.",
    "attempts-unlimited": "You can try again as many times as you like.",
    "retry": "Try again",
    "review": "Review your answers",
    "review-title": "Review",
    "review-heading": "Review: question {number} of {total}",
    "review-previous": "Previous question",
    "review-next": "Next question",
    "review-back": "Back to your result",
    # what to do next
    "next-continue": "Continue",
    "next-finish": "Finish now",
    "next-step": "Next: {title}.",
    "next-retry": "Look again at the pages of this module, then try again.",
    "next-pages-one": "To complete the course, open the page you have not viewed yet: {list}.",
    "next-pages-other": "To complete the course, open the pages you have not viewed yet: {list}.",
    "next-done": "You have finished everything in this course. Select “Finish now”, "
                 "then return to your learning management system.",
    "next-module-lms": "You have finished this module. Select “Finish now”, then return to your "
                       "learning management system to continue with the next module: {title}.",
    "next-done-failed": "This attempt at the course has ended. Select “Finish now”, then return to "
                        "your learning management system to continue; it may let you start again.",
    "next-preview": "This is a preview: in your learning management system the course would now be recorded.",
    # the end of the session
    "finished-title": "Your session has finished",
    "finished-tracked": "Your progress has been saved. You can close this window.",
    "finished-preview": "Your progress is kept in this browser. You can close this window.",
    "finished-status": "Your course status: {status}.",
    "finished-lms": "Return to your learning management system to continue.",
    "finished-next-module": "Return to your learning management system to continue with the next module: {title}.",
    # media
    "transcript": "Transcript: {title}",
    "captions": "Captions",
    "media-fallback": "Your browser cannot play this file here: download {title}.",
}


def text(key: str, **slots) -> Markup:
    """The catalogue's `key` with its `{slot}`s filled; values are escaped unless they are Markup."""
    template = str(escape(CATALOGUE[key]))
    for name, value in slots.items():
        template = template.replace("{" + name + "}", str(escape(value)))
    return Markup(template)


def plural(key: str, count: int, **slots) -> Markup:
    """`key-one` for one, `key-other` otherwise, with `{count}` filled."""
    return text(f"{key}-{'one' if count == 1 else 'other'}", count=count, **slots)
