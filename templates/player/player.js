/*
 * The player: reads the course data embedded in the page (#cs-course-data, written by
 * builder/player.py's player_data), connects to the LMS, restores the learner's
 * state, and runs navigation, progress, saving and the end of the session.
 *
 * Saving: every meaningful change (a page viewed, an answer, a finished or started quiz) marks the
 * state to be saved; the save runs just after the browser has shown the change, never inside the
 * click (an LMS whose Commit takes seconds must not freeze Next). It encodes the state into
 * suspend_data, reports completion and commits; after a slow Commit, commits are spaced out. A
 * commit the LMS refuses is retried with growing pauses. Leaving the page (pagehide, hidden, the
 * finish button) saves and commits at once.
 *
 * Stored progress is never overwritten before it has been read: when the LMS will not give
 * suspend_data on a resume, nothing of the learner's progress is written until a later try reads
 * it. A copy of the state stays in this browser (localStorage, per course, version, SCO and
 * learner) and is offered back when the LMS returns nothing. Whenever the LMS refuses the data or
 * stops answering, a polite status says that progress is not being recorded.
 *
 * Exit: "suspend" in every state except a failed course. A completed or passed course still
 * suspends: the learner can come back to read it again, and in SCORM 2004 an exit of "normal"
 * would make the next launch a new attempt that starts empty and resets the recorded status.
 * A failed course (a required quiz out of attempts) ends its attempt with "normal" (1.2: ""),
 * so the next launch is a fresh try at the whole course while the LMS keeps the failed one.
 *
 * Review and browse (cmi.mode, 1.2 cmi.core.lesson_mode): the LMS reopens a recorded attempt.
 * The player shows it as recorded, lets nothing be answered and sends nothing; the learner is
 * told how to start a new attempt. No credit: progress is kept, no result is sent.
 */
(function (CS) {
  "use strict";

  CS.problems = CS.problems || [];

  // Event handlers never let an exception escape: it is recorded, the learner carries on.
  CS.guard = function (fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (e) {
        CS.problems.push(String((e && e.stack) || e));
        return undefined;
      }
    };
  };

  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 60000;
  var SAVED_NOTICE_MS = 6000;
  var SAVE_FALLBACK_MS = 250;      // saves wait for the next frame, or this long in a hidden page
  var SLOW_COMMIT_MS = 400;        // a Commit slower than this spaces the next ones out
  var SLOW_COMMIT_GAP_FACTOR = 10; // ... by ten times its duration
  var COMMIT_GAP_MAX_MS = 60000;
  var READ_RETRY_MS = [1000, 2000, 4000, 8000, 16000, 30000];
  var LOCAL_PREFIX = "coursesmith-progress:";

  function Player(data) {
    this.data = data;
    this.structure = {
      pages: data.pages.length,
      quizzes: data.quizzes,
      fingerprint: data.codec.fingerprint,
      textBytes: data.codec.textBytes
    };
    this.structure.tracks = data.pages.map(function (page) { return page.track; });
    this.structure.legacyFingerprint = data.codec.legacyFingerprint;
    this.structure.earlier = data.codec.earlier || [];
    this.current = -1;
    this.finished = false;
    this.retryMs = 0;
    this.retryTimer = null;
    this.saveFailing = false;
    this.text = data.text;
    this.plurals = new Intl.PluralRules(data.course.language);
    this.numbers = new Intl.NumberFormat(data.course.language, { useGrouping: false });
    // Review mode (an LMS showing a finished attempt): quizzes are shown, never changed.
    this.readOnly = false;
    this.dirty = false;
    this.flushTimer = null;
    this.commitTimer = null;
    this.commitGapMs = 0;
    this.lastCommitAt = 0;
    this.stateRead = true;          // false while the LMS has not given the stored progress
    this.readTries = 0;
    this.saveStatus = document.getElementById("cs-save-status");
  }

  // A message of the course's catalogue (builder/ui_text.py) with its {slots} filled in; numbers
  // written the language's way.
  Player.prototype.message = function (name, slots) {
    var text = this.text[name];
    if (text === undefined) return "";
    var numbers = this.numbers;
    Object.keys(slots || {}).forEach(function (key) {
      var value = slots[key];
      text = text.split("{" + key + "}").join(typeof value === "number" ? numbers.format(value) : String(value));
    });
    return text;
  };

  // The form for `count` by the language's CLDR plural rule (the catalogue has `name-<category>`).
  Player.prototype.plural = function (name, count, slots) {
    var all = { count: count };
    Object.keys(slots || {}).forEach(function (key) { all[key] = slots[key]; });
    var form = name + "-" + this.plurals.select(count);
    return this.message(this.text[form] === undefined ? name + "-other" : form, all);
  };

  Player.prototype.list = function (items) {
    return items.join(this.message("list-separator"));
  };

  /* ---------- start ---------- */

  Player.prototype.start = function () {
    this.adapter = CS.lms.connect(this.data.version, {
      storageKey: this.data.storageKey,
      language: this.data.course.language,
      objectiveIds: this.data.modules.map(function (module) { return module.id; }),
      formats: this.data.lms
    });
    var info = this.adapter.start();
    var refused = !info;
    if (refused) {
      // The LMS refused to start the session (e.g. this frame was reloaded after the session
      // ended): keep the course usable and say that the LMS is not recording it.
      this.adapter = CS.lms.connect("none", { storageKey: this.data.storageKey });
      info = this.adapter.start();
    }
    this.totalAtStart = info.totalSeconds || 0;
    this.recorded = info.recorded || null;
    var passMarkInManifest = this.data.lmsPassMark !== null && this.data.lmsPassMark !== undefined;
    this.lmsJudgesScore = passMarkInManifest || String(info.mastery || "") !== "";
    document.documentElement.setAttribute("data-lms-mastery", info.mastery || "");
    this.learnerId = info.learnerId || "";
    this.stateRead = info.suspendRead !== false;
    var restored = null;
    if (info.resume && this.stateRead) {
      var outcome = CS.state.restore(this.structure, info.suspendData);
      restored = outcome.state;
      this.releaseNotice(outcome);
      if (!info.suspendData) this.offerLocalCopy();
    }
    this.state = restored || CS.state.fresh(this.structure);
    this.resumed = Boolean(restored);
    if (!this.stateRead) this.retryRead();

    document.getElementById("cs-not-tracking").hidden = this.adapter.tracking || refused;
    document.getElementById("cs-lms-refused").hidden = !refused;
    this.recording = this.adapter.recording;
    document.getElementById("cs-review").hidden = this.recording !== "nothing";
    document.getElementById("cs-no-credit").hidden = this.recording !== "progress";
    document.documentElement.setAttribute("data-lms-mode", info.mode || "normal");
    this.prepareLinks();
    this.addCaptions();
    this.quizViews = this.data.quizzes.map(function (quiz, index) {
      var root = document.querySelector('.quiz[data-quiz="' + index + '"]');
      return new CS.QuizView(root, quiz, index, this);
    }, this);
    if (this.recording === "nothing") this.lockQuizzes();
    this.bindEvents();

    var first = this.stepFromHash();
    if (first < 0 && restored) first = this.stepById(info.location);
    this.go(first < 0 ? 0 : first, { focus: false });
    this.scheduleTimeCheck();
  };

  // A review shows the recorded answers and results; nothing can be answered anew.
  Player.prototype.lockQuizzes = function () {
    var buttons = document.querySelectorAll(
      '.quiz [data-action="start"], .quiz [data-action="retry"], .quiz [data-action="check"], .quiz [data-action="results"]');
    Array.prototype.forEach.call(buttons, function (button) { button.disabled = true; });
  };

  Player.prototype.stepById = function (id) {
    var steps = this.data.steps;
    for (var i = 0; i < steps.length; i++) if (steps[i].id === id) return i;
    return -1;
  };

  Player.prototype.stepFromHash = function () {
    var hash = window.location.hash.replace(/^#/, "");
    try {
      hash = decodeURIComponent(hash);
    } catch (e) {
      return -1;
    }
    return hash ? this.stepById(hash) : -1;
  };

  /* ---------- navigation ---------- */

  Player.prototype.go = function (index, options) {
    if (this.finished || index < 0 || index >= this.data.steps.length) return;
    var steps = this.data.steps;
    var step = steps[index];
    this.current = index;
    steps.forEach(function (other, i) {
      var section = document.getElementById(other.dom);
      if (i !== index && !section.hidden) {
        // A clip keeps no sound going on a page the learner has left.
        Array.prototype.forEach.call(section.querySelectorAll("video, audio"), function (media) { media.pause(); });
      }
      section.hidden = i !== index;
    });
    if (step.kind === "quiz") this.quizViews[step.quiz].render();
    if (step.kind === "page") this.state.pagesSeen[step.page] = true;

    this.updateNavigation();
    this.updateHash(step.id);
    document.title = this.message("document-title", { step: step.title, course: this.data.course.title });
    this.save();
    if (options && options.focus) {
      var heading = document.getElementById(step.dom + "-title");
      if (heading) heading.focus();
    }
  };

  // Writing the address costs the browser a round trip: quick successive moves write it once.
  Player.prototype.updateHash = function (id) {
    this.pendingHash = "#" + id;
    if (this.hashTimer) return;
    var player = this;
    this.hashTimer = window.setTimeout(CS.guard(function () {
      player.hashTimer = null;
      if (window.location.hash === player.pendingHash) return;
      try {
        window.history.replaceState(null, "", player.pendingHash);
      } catch (e) {
        // Some sandboxed frames refuse history changes: the LMS location still holds the place.
      }
    }), 0);
  };

  Player.prototype.updateNavigation = function () {
    var index = this.current;
    var total = this.data.steps.length;
    document.getElementById("cs-prev").disabled = index <= 0;
    document.getElementById("cs-next").disabled = index >= total - 1;
    var step = this.data.steps[index];
    document.querySelector('[data-role="position"]').textContent = step.kind === "page"
      ? this.message("position-page", { number: step.page + 1, total: this.data.pages.length })
      : this.message("position-quiz", { number: step.quiz + 1, total: this.data.quizzes.length });
    Array.prototype.forEach.call(document.querySelectorAll("[data-step-link]"), function (link) {
      var current = Number(link.getAttribute("data-step-link")) === index;
      if (current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
  };

  Player.prototype.updateProgress = function (result) {
    var self = this;
    var percent = result.pagesTotal ? Math.round((100 * result.pagesSeen) / result.pagesTotal) : 100;
    document.querySelector('[data-role="progress-text"]').textContent =
      this.message("progress", { seen: result.pagesSeen, total: result.pagesTotal });
    document.querySelector('[data-role="progress-fill"]').style.width = percent + "%";
    var status = this.statusShown(result);
    var badge = document.querySelector('[data-role="status-text"]');
    badge.textContent = this.message("status-" + status);
    badge.setAttribute("data-status", status);
    if (!this.stepItems) {
      this.stepItems = this.data.steps.map(function (step, i) {
        var item = document.querySelector('[data-step-item="' + i + '"]');
        return { item: item, label: item.querySelector('[data-role="step-state"]') };
      });
    }
    this.data.steps.forEach(function (step, i) {
      var item = self.stepItems[i].item;
      var label = self.stepItems[i].label;
      var mark = "";
      if (step.kind === "page" && self.state.pagesSeen[step.page]) mark = "step-viewed";
      if (step.kind === "quiz") {
        var quiz = self.data.quizzes[step.quiz];
        var outcome = CS.completion.quizOutcome(quiz, self.state.quizzes[step.quiz]);
        mark = quiz.survey ? (outcome.taken ? "quiz-taken" : "")
          : outcome.passed ? "quiz-passed" : outcome.failed ? "quiz-failed" : outcome.taken ? "quiz-taken" : "";
      }
      if (item.getAttribute("data-state") === mark) return;
      item.setAttribute("data-state", mark);
      label.textContent = mark ? self.message(mark) : "";
    });
  };

  // The status the LMS holds, in the learner's words: SCORM 1.2's one lesson_status, or 2004's
  // completion and success together ("completed" with success still open says so).
  // What the LMS is told (lms.js reportedStatus), so the learner and the LMS never disagree; a
  // failed course says so whatever the LMS is told about it.
  Player.prototype.statusShown = function (result) {
    // A review the LMS opened without the recorded attempt (Moodle's SCORM 2004 after an ended
    // attempt) has no status of its own to show: "In progress" would contradict the record.
    if (this.recording === "nothing" && !this.resumed) return "review";
    var reported = CS.lms.reportedStatus(result, this.data.reporting.status);
    return reported.outcome === "failed" ? "failed" : reported.lessonStatus;
  };

  // What the learner does after a quiz: {text, action}, action one of continue|retry|finish|"".
  Player.prototype.whatNext = function (quizIndex, canRetry) {
    var quiz = this.data.quizzes[quizIndex];
    var outcome = CS.completion.quizOutcome(quiz, this.state.quizzes[quizIndex]);
    var result = this.evaluate();
    if (!quiz.survey && !outcome.passed) {
      if (canRetry) return { text: this.message("next-retry"), action: "retry" };
      if (result.success === "failed") return { text: this.message("next-done-failed"), action: "finish" };
    }
    var steps = this.data.steps;
    var here = this.stepOfQuiz(quizIndex);
    if (here + 1 < steps.length) {
      return { text: this.message("next-step", { title: steps[here + 1].title }), action: "continue" };
    }
    var unseen = steps.filter(function (step) {
      return step.kind === "page" && !this.state.pagesSeen[step.page];
    }, this).map(function (step) { return step.title; });
    if (unseen.length && !result.completed) {
      return { text: this.plural("next-pages", unseen.length, { list: this.list(unseen) }), action: "" };
    }
    return { text: this.endText(result), action: "finish" };
  };

  Player.prototype.endText = function (result) {
    if (result.success === "failed") return this.message("next-done-failed");
    if (this.data.nextModule) return this.message("next-module-lms", { title: this.data.nextModule });
    return this.message("next-done");
  };

  Player.prototype.stepOfQuiz = function (quizIndex) {
    var steps = this.data.steps;
    for (var i = 0; i < steps.length; i++) if (steps[i].quiz === quizIndex) return i;
    return -1;
  };

  Player.prototype.setReadOnly = function (readOnly) {
    this.readOnly = Boolean(readOnly);
    document.documentElement.classList.toggle("is-read-only", this.readOnly);
    var step = this.data.steps[this.current];
    if (step && step.kind === "quiz") this.quizViews[step.quiz].render();
  };

  /* ---------- saving ---------- */

  Player.prototype.totalSeconds = function () {
    return this.totalAtStart + this.adapter.sessionSeconds();
  };

  Player.prototype.evaluate = function () {
    var result = CS.completion.evaluate(this.data, this.state, this.totalSeconds());
    return CS.completion.keepRecorded(CS.completion.forLms(result, this.lmsJudgesScore), this.recorded);
  };

  Player.prototype.location = function () {
    return this.current >= 0 ? this.data.steps[this.current].id : "";
  };

  // Hands the current state to the adapter; returns the completion result it reported.
  Player.prototype.store = function () {
    var suspendData = this.stateRead && !this.offer ? CS.state.encode(this.structure, this.state) : null;
    this.adapter.saveProgress(suspendData, this.location());
    if (suspendData !== null) this.keepLocalCopy(suspendData);
    var result = this.evaluate();
    this.adapter.report(result, this.data.reporting);
    this.updateProgress(result);
    return result;
  };

  // A change to save: the learner sees it now, the LMS hears of it just after (flush).
  Player.prototype.save = function () {
    if (this.finished) return;
    this.dirty = true;
    this.updateProgress(this.evaluate());
    if (this.flushTimer) return;
    var player = this;
    var run = CS.guard(function () {
      if (player.flushTimer === null) return;
      window.clearTimeout(player.flushTimer);
      player.flushTimer = null;
      player.flush(false);
    });
    // After the next frame is painted (a timer set from requestAnimationFrame runs after it);
    // a hidden page gets no frames, hence the fallback timer.
    this.flushTimer = window.setTimeout(run, SAVE_FALLBACK_MS);
    if (window.requestAnimationFrame) window.requestAnimationFrame(function () { window.setTimeout(run, 0); });
  };

  // Sends the state to the LMS; commits now when `now` or when the LMS is quick, else when due.
  Player.prototype.flush = function (now) {
    if (this.finished) return;
    if (this.flushTimer) {
      window.clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (!this.stateRead) this.tryRead();
    if (this.dirty) {
      this.dirty = false;
      this.store();
      this.uncommitted = true;
    }
    if (!this.uncommitted) return;
    var wait = this.lastCommitAt + this.commitGapMs - Date.now();
    if (now || wait <= 0) {
      this.commit();
      return;
    }
    if (this.commitTimer || this.retryTimer) return;
    var player = this;
    this.commitTimer = window.setTimeout(CS.guard(function () {
      player.commitTimer = null;
      player.flush(true);
    }), wait);
  };

  // True when nothing is waiting to reach the LMS (tests and the finish panel ask).
  Player.prototype.settled = function () {
    return !this.dirty && !this.uncommitted && !this.flushTimer;
  };

  Player.prototype.commit = function () {
    if (this.finished) return false;
    if (this.commitTimer) {
      window.clearTimeout(this.commitTimer);
      this.commitTimer = null;
    }
    var started = Date.now();
    var ok = this.adapter.commit();
    var took = Date.now() - started;
    this.lastCommitAt = Date.now();
    this.commitGapMs = took > SLOW_COMMIT_MS ? Math.min(COMMIT_GAP_MAX_MS, took * SLOW_COMMIT_GAP_FACTOR) : 0;
    if (ok) {
      this.uncommitted = false;
      this.retryMs = 0;
      if (this.saveFailing) {
        this.saveFailing = false;
        this.showTrouble(this.message("saved-again"));
        var self = this;
        window.setTimeout(function () { if (!self.saveFailing) self.showTrouble(); }, SAVED_NOTICE_MS);
      } else {
        this.showTrouble();
      }
      return true;
    }
    this.saveFailing = true;
    this.showTrouble();
    if (this.retryTimer) return false;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs ? this.retryMs * 2 : RETRY_FIRST_MS);
    var player = this;
    this.retryTimer = window.setTimeout(CS.guard(function () {
      player.retryTimer = null;
      player.flush(true);
    }), this.retryMs);
    return false;
  };

  Player.prototype.setSaveStatus = function (text) {
    this.saveStatus.textContent = text;
    this.saveStatus.classList.toggle("is-visible", Boolean(text));
  };

  /*
   * The one status line about saving: the worst trouble there is, or `otherwise` (a passing
   * "saved again") when there is none. Polite (role=status): it never interrupts reading.
   */
  Player.prototype.showTrouble = function (otherwise) {
    var trouble = this.adapter.trouble();
    var name = trouble === "gone" ? "lms-gone"
      : !this.stateRead ? "not-read"
      : trouble === "refused" ? "not-recorded"
      : this.saveFailing ? "saving-failed" : "";
    this.setSaveStatus(name ? this.message(name) : otherwise || "");
  };

  /* ---------- progress the LMS would not give, and the copy in this browser ---------- */

  /*
   * One more try at reading the stored progress the LMS would not give at launch. Once it is
   * read it is taken up, with what the learner did meanwhile added to it (CS.state.merge), and
   * saving starts. True when the progress has been read.
   */
  Player.prototype.tryRead = function () {
    if (this.stateRead) return true;
    if (this.finished) return false;
    var read = this.adapter.readSuspendData();
    if (!read.ok) return false;
    this.stateRead = true;
    var outcome = CS.state.restore(this.structure, read.value);
    if (outcome.state) this.state = CS.state.merge(outcome.state, this.state);
    this.releaseNotice(outcome);
    this.refreshViews();
    this.dirty = true;
    this.showTrouble();
    return true;
  };

  // Tries again after growing pauses (every save tries too, see flush), for as long as it takes.
  Player.prototype.retryRead = function () {
    this.showTrouble();
    var player = this;
    var wait = READ_RETRY_MS[Math.min(this.readTries++, READ_RETRY_MS.length - 1)];
    window.setTimeout(CS.guard(function () {
      if (player.stateRead || player.finished) return;
      if (player.tryRead()) player.save();
      else player.retryRead();
    }), wait);
  };

  Player.prototype.refreshViews = function () {
    var step = this.data.steps[this.current];
    if (step && step.kind === "quiz") this.quizViews[step.quiz].render();
    this.updateProgress(this.evaluate());
  };

  Player.prototype.localKey = function (version) {
    var c = this.data.course;
    return LOCAL_PREFIX + [c.id, version, this.data.sco, this.learnerId].map(encodeURIComponent).join(":");
  };

  Player.prototype.localStore = function () {
    try {
      return window.localStorage || null;
    } catch (e) {
      return null;
    }
  };

  Player.prototype.keepLocalCopy = function (suspendData) {
    if (!this.adapter.tracking) return;            // the preview keeps its own copy
    var store = this.localStore();
    if (!store) return;
    try {
      store.setItem(this.localKey(this.data.course.version),
        JSON.stringify({ suspendData: suspendData, location: this.location(), savedAt: Date.now() }));
    } catch (e) {
      // Storage full or refused: the LMS copy is the one that counts.
    }
  };

  // The newest copy this browser holds for this learner and SCO, from this or another release.
  Player.prototype.findLocalCopy = function () {
    var store = this.localStore();
    if (!store) return null;
    var c = this.data.course;
    var prefix = LOCAL_PREFIX + encodeURIComponent(c.id) + ":";
    var suffix = ":" + encodeURIComponent(this.data.sco) + ":" + encodeURIComponent(this.learnerId);
    var best = null;
    try {
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (key.indexOf(prefix) !== 0 || key.slice(-suffix.length) !== suffix) continue;
        var copy = JSON.parse(store.getItem(key));
        if (copy && copy.suspendData && (!best || copy.savedAt > best.savedAt)) best = copy;
      }
    } catch (e) {
      return null;
    }
    return best;
  };

  // The LMS says "resume" but holds nothing: offer the copy kept in this browser, if any. Until
  // the learner answers, nothing of their progress is written to the LMS.
  Player.prototype.offerLocalCopy = function () {
    var copy = this.findLocalCopy();
    if (!copy) return;
    var outcome = CS.state.restore(this.structure, copy.suspendData);
    if (!outcome.state) return;
    this.offer = { state: outcome.state, location: copy.location, outcome: outcome };
    var panel = document.getElementById("cs-local-copy");
    var when = new Date(copy.savedAt);
    panel.querySelector('[data-slot="when"]').textContent =
      isNaN(when.getTime()) ? "" : when.toLocaleString(this.data.course.language || undefined);
    panel.hidden = false;
  };

  Player.prototype.answerOffer = function (accept) {
    var offer = this.offer;
    if (!offer) return;
    this.offer = null;
    document.getElementById("cs-local-copy").hidden = true;
    if (accept) {
      this.state = offer.state;
      this.releaseNotice(offer.outcome);
      var step = this.stepById(offer.location);
      this.refreshViews();
      if (step >= 0) {
        this.go(step, { focus: true });
        return;
      }
    }
    this.save();
    document.getElementById("main").focus();
  };

  // After a release: say what carried over, what was reset, or that nothing could be read.
  Player.prototype.releaseNotice = function (outcome) {
    var notice = document.getElementById("cs-release-notice");
    var text = "";
    if (outcome.unreadable) {
      text = this.message("release-unknown");
    } else if (outcome.changes) {
      var c = outcome.changes;
      var reset = c.answersReset.length + c.answersDropped;
      text = this.message("release-updated");
      if (reset) text += " " + this.message("release-answers-reset", { count: reset });
      if (c.pagesDropped) text += " " + this.message("release-pages-removed", { count: c.pagesDropped });
      if (c.quizzesDropped) text += " " + this.message("release-quizzes-removed", { count: c.quizzesDropped });
    }
    notice.textContent = text;
    notice.hidden = !text;
  };

  // min_minutes can complete the course while the learner just reads: look again when it is due.
  Player.prototype.scheduleTimeCheck = function () {
    var toGo = this.evaluate().secondsToGo;
    if (toGo <= 0) return;
    var player = this;
    window.setTimeout(CS.guard(function () {
      if (player.finished) return;
      player.save();
      player.scheduleTimeCheck();
    }), Math.ceil(toGo * 1000) + 250);
  };

  Player.prototype.exitFor = function (result) {
    return result.success === "failed" ? "normal" : "suspend";
  };

  /* ---------- the end of the session ---------- */

  // "Saved" is said only when the LMS confirmed it: the last Commit and Terminate returned true
  // and the learner's progress was neither refused nor held back unread.
  Player.prototype.finish = function (showPanel) {
    if (this.finished) return;
    [this.flushTimer, this.commitTimer, this.retryTimer].forEach(function (timer) {
      if (timer) window.clearTimeout(timer);
    });
    this.flushTimer = this.commitTimer = this.retryTimer = null;
    this.dirty = false;
    var result = this.store();
    var committed = this.adapter.commit();
    this.finished = true;
    var exit = this.exitFor(result);
    // Only the learner's own "Save and finish" asks the LMS to leave the course: on pagehide
    // the LMS is already taking the learner somewhere.
    var terminated = this.adapter.finish(exit, showPanel ? this.finishRequest(exit) : "");
    this.saved = committed && terminated && this.stateRead && !this.offer && !this.adapter.trouble();
    if (showPanel) this.showFinished();
  };

  // suspendAll keeps the attempt to come back to, so an attempt that ended (a failed course) asks
  // for nothing: its exit "normal" ends it. Not exitAll: Moodle 5.0 answers it with an error page
  // and its Terminate throws.
  Player.prototype.finishRequest = function (exit) {
    var wanted = this.data.reporting.finishRequest;
    if (wanted === "none" || (wanted === "suspendAll" && exit === "normal")) return "";
    return wanted;
  };

  Player.prototype.showFinished = function () {
    document.body.classList.add("is-finished");
    this.data.steps.forEach(function (step) { document.getElementById(step.dom).hidden = true; });
    var panel = document.getElementById("cs-finished");
    panel.hidden = false;
    var tracked = this.adapter.tracking;
    panel.querySelector('[data-role="finished-tracked"]').hidden = !tracked || !this.saved;
    panel.querySelector('[data-role="finished-not-saved"]').hidden = !tracked || this.saved;
    panel.querySelector('[data-role="finished-preview"]').hidden = tracked;
    if (tracked && !this.saved) this.setSaveStatus("");      // the panel says it, once
    var result = this.evaluate();
    panel.querySelector('[data-role="finished-status"]').textContent =
      this.message("finished-status", { status: this.message("status-" + this.statusShown(result)) });
    panel.querySelector('[data-role="finished-next"]').textContent = this.adapter.tracking
      ? (this.data.nextModule && result.success !== "failed"
        ? this.message("finished-next-module", { title: this.data.nextModule }) : this.message("finished-lms"))
      : "";
    document.getElementById("cs-finished-title").focus();
  };

  // Hidden pages may never come back (mobile browsers discard them): make the LMS data resumable.
  Player.prototype.onHidden = function () {
    if (this.finished || document.visibilityState !== "hidden") return;
    if (this.flushTimer) window.clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.dirty = false;
    var result = this.store();
    this.adapter.checkpoint(this.exitFor(result));
    this.uncommitted = true;
    this.commit();
  };

  /* ---------- events ---------- */

  Player.prototype.bindEvents = function () {
    var self = this;
    var on = function (target, type, fn) { target.addEventListener(type, CS.guard(fn)); };
    on(document.getElementById("cs-prev"), "click", function () { self.go(self.current - 1, { focus: true }); });
    on(document.getElementById("cs-next"), "click", function () { self.go(self.current + 1, { focus: true }); });
    on(document.getElementById("cs-finish"), "click", function () { self.finish(true); });
    on(document.getElementById("cs-local-copy"), "click", function (event) {
      var button = event.target.closest("[data-offer]");
      if (button) self.answerOffer(button.getAttribute("data-offer") === "accept");
    });
    // The skip link moves focus without replacing the page's address (the bookmark) with "#main".
    on(document.querySelector(".skip-link"), "click", function (event) {
      event.preventDefault();
      document.getElementById("main").focus();
    });
    on(document.getElementById("cs-contents"), "click", function (event) {
      var link = event.target.closest("[data-step-link]");
      if (!link) return;
      event.preventDefault();
      self.toggleContents(false);
      self.go(Number(link.getAttribute("data-step-link")), { focus: true });
    });
    var toggle = document.querySelector(".contents-toggle");
    on(toggle, "click", function () {
      self.toggleContents(toggle.getAttribute("aria-expanded") !== "true");
    });
    on(window, "hashchange", function () {
      var index = self.stepFromHash();
      if (index >= 0 && index !== self.current) self.go(index, { focus: true });
    });
    on(document.getElementById("main"), "click", function (event) { self.followAnchor(event); });
    on(document, "visibilitychange", function () { self.onHidden(); });
    // pagehide, not beforeunload: Chromium fires beforeunload for a link that turns out to be a
    // download and then keeps the page, which would go on untracked after a Terminate.
    on(window, "pagehide", function () { self.finish(false); });
    on(window, "pageshow", function (event) {
      if (event.persisted && self.finished) self.showFinished();
    });
  };

  /* ---------- links in pages ---------- */

  // Any link that would load something in this frame (a course file, a web page, raw HTML's
  // target="_top") would end the session and leave the course: it opens beside it instead.
  // Only #anchors and links handled outside the browser (mailto:, tel:) stay as they are.
  Player.prototype.prepareLinks = function () {
    Array.prototype.forEach.call(document.querySelectorAll("#main .step a[href]"), function (link) {
      var href = link.getAttribute("href");
      if (href.charAt(0) === "#" || /^(mailto|tel):/i.test(href)) return;
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener noreferrer");
    });
  };

  /*
   * Captions from the cues the build read (course data "captions"), added through the TextTrack
   * API rather than a <track> file, which Chromium refuses to a page opened from disk. Shown on
   * video by default, as a <track default> would be.
   */
  Player.prototype.addCaptions = function () {
    var captions = this.data.captions || {};
    var label = this.message("captions");
    var language = this.data.course.language;
    Array.prototype.forEach.call(document.querySelectorAll("#main [data-captions]"), function (media) {
      var cues = captions[media.getAttribute("data-captions")];
      if (!cues || !media.addTextTrack || !window.VTTCue) return;
      var track = media.addTextTrack("captions", label, language);
      cues.forEach(function (given) {
        var cue = new window.VTTCue(given[0], given[1], given[2]);
        var settings = given[3] || {};
        Object.keys(settings).forEach(function (name) {
          try {
            cue[name] = settings[name];
          } catch (e) {
            // A setting this browser does not support: the cue shows in its usual place.
          }
        });
        track.addCue(cue);
      });
      track.mode = media.tagName === "VIDEO" ? "showing" : "hidden";
    });
  };

  // An #anchor in a page (a footnote, its way back) scrolls to its target without replacing the
  // address, which is the learner's bookmark, and without a history entry.
  Player.prototype.followAnchor = function (event) {
    var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
    if (!link || !link.closest(".step")) return;
    event.preventDefault();
    var id = link.getAttribute("href").slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (e) {
      return;
    }
    var step = this.stepById(id);
    if (step >= 0) {
      this.go(step, { focus: true });
      return;
    }
    var target = document.getElementById(id);
    if (!target || !target.closest(".step") || target.closest("[hidden]")) return;
    var focusable = target.matches("a[href], button, input, select, textarea, [tabindex]");
    if (!focusable) target.setAttribute("tabindex", "-1");     // reachable by focus, not by Tab
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  };

  Player.prototype.toggleContents = function (open) {
    var toggle = document.querySelector(".contents-toggle");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.getElementById("cs-contents").classList.toggle("is-open", open);
  };

  Player.prototype.quizState = function (index) {
    return this.state.quizzes[index];
  };

  Player.prototype.recordInteraction = function (question, answer, result, latencySeconds, prompt) {
    this.adapter.recordInteraction({
      question: question,
      answer: answer,
      result: result,
      latencySeconds: latencySeconds,
      when: new Date(),
      description: prompt
    });
  };

  CS.start = CS.guard(function () {
    var source = document.getElementById("cs-course-data");
    CS.player = new Player(JSON.parse(source.textContent));
    CS.player.start();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", CS.start);
  } else {
    CS.start();
  }
})(window.Coursesmith = window.Coursesmith || {});
