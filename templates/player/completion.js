/*
 * The completion engine: COURSE-FORMAT.md "Completion rules", applied to one SCO.
 *
 * - completed: the share of pages viewed reaches `pages_viewed`, the time in the course reaches
 *   `min_minutes`, and every required quiz has a result (at least one finished attempt). The
 *   format says a course is "passed when *in addition* every required quiz reached its pass mark",
 *   so the `quizzes` rule asks for each required quiz to be taken; reaching the mark is the
 *   further condition for passed.
 * - passed: completed, and every required quiz's best score reached its pass mark. With no
 *   required quiz this holds as soon as the course is completed (the rule has nothing to check).
 * - failed: a required quiz ran out of attempts below its pass mark. Completion still follows
 *   the rules above.
 * - score: with no required quiz, 100 once completed when the course's scorm.reporting asks for
 *   it (an LMS grading by score would give a learner who did everything 0 otherwise); else
 * - score: the mean of the required quizzes' best scores, reported once each has one (before
 *   that the mean is undefined, and a partial figure could be judged against the mastery score),
 *   and to an LMS with a pass mark only once passed or failed is decided (forLms).
 * - each module (a SCORM 2004 objective) the same way on its own: with a required quiz its
 *   success is that quiz's; without one it is passed once the module is completed.
 * - a resumed attempt never takes back what the LMS already recorded for it (keepRecorded): the
 *   stored state may be unreadable, or the course republished with other rules.
 */
(function (CS) {
  "use strict";

  function quizOutcome(quiz, qs) {
    var taken = qs.best !== null;
    var passed = taken && qs.best >= quiz.passMark;
    var exhausted = quiz.attempts > 0 && qs.used >= quiz.attempts && !qs.attempt;
    return {
      taken: taken,
      passed: passed,
      failed: exhausted && !passed,
      success: passed ? "passed" : exhausted ? "failed" : "unknown"
    };
  }

  function enoughPages(seen, total, percent) {
    return total === 0 || seen * 100 >= percent * total;
  }

  function pagesPart(seen, total, percent) {
    var needed = Math.ceil((percent * total) / 100);
    return needed === 0 ? 1 : Math.min(1, seen / needed);
  }

  function mean(list) {
    var sum = 0;
    list.forEach(function (value) { sum += value; });
    return list.length ? sum / list.length : 0;
  }

  function countSeen(state, pageIndices) {
    var seen = 0;
    pageIndices.forEach(function (index) { if (state.pagesSeen[index]) seen++; });
    return seen;
  }

  // One module's share of the work, for its SCORM 2004 objective: the course's rules applied to
  // the module alone, as its own SCO would report them with sco-per-module packaging. Only a
  // required quiz gives it a score, as only required quizzes make the course's score.
  function moduleResult(rules, data, state, module) {
    var seen = countSeen(state, module.pages);
    var completed = enoughPages(seen, module.pages.length, rules.pagesViewed);
    var parts = [pagesPart(seen, module.pages.length, rules.pagesViewed)];
    var result = { id: module.id, success: null, score: null };
    var quiz = module.quiz !== null ? data.quizzes[module.quiz] : null;
    if (quiz && quiz.required) {
      var outcome = quizOutcome(quiz, state.quizzes[module.quiz]);
      if (outcome.taken) result.score = state.quizzes[module.quiz].best;
      result.success = outcome.success;
      completed = completed && outcome.taken;
      parts.push(outcome.taken ? 1 : 0);
    }
    result.completed = completed;
    result.progress = completed ? 1 : Math.min(0.99, mean(parts));
    // Nothing to pass but the module itself: passed once it is completed, like the course.
    if (result.success === null) result.success = completed ? "passed" : "unknown";
    return result;
  }

  /*
   * What the LMS is told. An LMS with a pass mark (the manifest's masteryscore or
   * scaled_passing_score, or its own) may turn any score it holds into passed or failed: SCORM
   * 2004 asks it to, many SCORM 1.2 LMSs do. So while the player's verdict is still open the
   * score stays back, and the LMS cannot call failed a learner with attempts left, or passed one
   * with pages to read.
   */
  function forLms(result, lmsJudgesScore) {
    if (lmsJudgesScore && result.success === "unknown") result.score = null;
    return result;
  }

  // recorded: {completed, passed, score, objectives} the LMS held at the start of a resumed
  // session, or null. A release may have added pages or raised a pass mark since: what a learner
  // reached, for the course and for each module's objective, is never taken back.
  function keepRecorded(result, recorded) {
    if (!recorded) return result;
    var objectives = recorded.objectives || {};
    (result.objectives || []).forEach(function (objective) {
      var held = objectives[objective.id];
      if (!held) return;
      if (held.completed && !objective.completed) {
        objective.completed = true;
        objective.progress = 1;
      }
      if (held.passed) objective.success = "passed";
    });
    result.keptCompleted = recorded.completed;
    if (recorded.completed && !result.completed) {
      result.completed = true;
      result.progress = 1;
    }
    if (!recorded.passed) return result;
    result.success = "passed";
    if (recorded.score !== null && (result.score === null || result.score < recorded.score)) {
      result.score = recorded.score;
    }
    return result;
  }

  /*
   * data: the page's embedded course data (#cs-course-data); state: Coursesmith.state; totalSeconds: time in the course so far.
   * Returns {completed, success, score, progress, objectives, pagesSeen, pagesTotal}.
   */
  function evaluate(data, state, totalSeconds) {
    var rules = data.rules;
    var total = state.pagesSeen.length;
    var seen = countSeen(state, state.pagesSeen.map(function (_, i) { return i; }));
    var timeOk = totalSeconds >= rules.minSeconds;
    var required = [];
    data.quizzes.forEach(function (quiz, index) {
      if (quiz.required) required.push({ quiz: quiz, qs: state.quizzes[index] });
    });
    var outcomes = required.map(function (r) { return quizOutcome(r.quiz, r.qs); });
    var allTaken = outcomes.every(function (o) { return o.taken; });
    var allPassed = outcomes.every(function (o) { return o.passed; });
    var anyFailed = outcomes.some(function (o) { return o.failed; });
    var completed = enoughPages(seen, total, rules.pagesViewed) && timeOk && allTaken;

    var parts = [pagesPart(seen, total, rules.pagesViewed)];
    if (rules.minSeconds > 0) parts.push(Math.min(1, totalSeconds / rules.minSeconds));
    outcomes.forEach(function (o) { parts.push(o.taken ? 1 : 0); });

    var score = required.length && allTaken ? mean(required.map(function (r) { return r.qs.best; })) : null;
    if (!required.length && completed && data.reporting && data.reporting.scoreOnCompletion) score = 100;
    return {
      completed: completed,
      success: anyFailed ? "failed" : completed && allPassed ? "passed" : "unknown",
      score: score,
      progress: completed ? 1 : Math.min(0.99, mean(parts)),
      objectives: data.modules.map(function (module) { return moduleResult(rules, data, state, module); }),
      pagesSeen: seen,
      pagesTotal: total,
      secondsToGo: Math.max(0, rules.minSeconds - totalSeconds)
    };
  }

  CS.completion = { evaluate: evaluate, quizOutcome: quizOutcome, forLms: forLms, keepRecorded: keepRecorded };
})(window.Coursesmith = window.Coursesmith || {});
