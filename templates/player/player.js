/*
 * The player: reads the course data embedded in the page (#cs-course-data, written by
 * builder/player.py's player_data), connects to the LMS, restores the learner's
 * state, and runs navigation, progress, saving and the end of the session.
 *
 * Saving: every meaningful change (a page viewed, an answer, a finished or started quiz) encodes
 * the state into suspend_data, reports completion and commits. A commit the LMS refuses is
 * retried with growing pauses and the learner is told in a polite live region.
 *
 * Exit: "suspend" in every state except a failed course. A completed or passed course still
 * suspends: the learner can come back to read it again, and in SCORM 2004 an exit of "normal"
 * would make the next launch a new attempt that starts empty and resets the recorded status.
 * A failed course (a required quiz out of attempts) ends its attempt with "normal" (1.2: ""),
 * so the next launch is a fresh try at the whole course while the LMS keeps the failed one.
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

  function Player(data) {
    this.data = data;
    this.structure = {
      pages: data.pages.length,
      quizzes: data.quizzes,
      fingerprint: data.codec.fingerprint,
      textBytes: data.codec.textBytes
    };
    this.current = -1;
    this.finished = false;
    this.retryMs = 0;
    this.retryTimer = null;
    this.saveFailing = false;
    this.text = data.text;
    // Review mode (an LMS showing a finished attempt): quizzes are shown, never changed.
    this.readOnly = false;
    this.saveStatus = document.getElementById("cs-save-status");
  }

  // A sentence of the catalogue (builder/player_text.py) with its {slots} filled in.
  Player.prototype.message = function (name, slots) {
    var text = this.text[name];
    if (text === undefined) return "";
    Object.keys(slots || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(slots[key]));
    });
    return text;
  };

  Player.prototype.plural = function (name, count, slots) {
    var all = { count: count };
    Object.keys(slots || {}).forEach(function (key) { all[key] = slots[key]; });
    return this.message(name + (count === 1 ? "-one" : "-other"), all);
  };

  Player.prototype.list = function (items) {
    return items.join(this.message("list-separator"));
  };

  /* ---------- start ---------- */

  Player.prototype.start = function () {
    this.adapter = CS.lms.connect(this.data.version, {
      storageKey: this.data.storageKey,
      language: this.data.course.language
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
    var restored = info.resume ? CS.state.decode(this.structure, info.suspendData) : null;
    this.state = restored || CS.state.fresh(this.structure);
    this.resumed = Boolean(restored);

    document.getElementById("cs-not-tracking").hidden = this.adapter.tracking || refused;
    document.getElementById("cs-lms-refused").hidden = !refused;
    this.prepareLinks();
    this.quizViews = this.data.quizzes.map(function (quiz, index) {
      var root = document.querySelector('.quiz[data-quiz="' + index + '"]');
      return new CS.QuizView(root, quiz, index, this);
    }, this);
    this.bindEvents();

    var first = this.stepFromHash();
    if (first < 0 && restored) first = this.stepById(info.location);
    this.go(first < 0 ? 0 : first, { focus: false });
    this.scheduleTimeCheck();
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
  Player.prototype.statusShown = function (result) {
    if (this.adapter.version === "1.2") return CS.lms.status12(result);
    if (result.success === "failed" || result.success === "passed") return result.success;
    return result.completed ? "completed-unknown" : "incomplete";
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
    this.adapter.saveProgress(CS.state.encode(this.structure, this.state), this.location());
    var result = this.evaluate();
    this.adapter.report(result);
    this.updateProgress(result);
    return result;
  };

  Player.prototype.save = function () {
    if (this.finished) return;
    this.store();
    this.commit();
  };

  Player.prototype.commit = function () {
    if (this.finished) return;
    if (this.adapter.commit()) {
      this.retryMs = 0;
      if (this.saveFailing) {
        this.saveFailing = false;
        this.setSaveStatus(this.message("saved-again"));
        var self = this;
        window.setTimeout(function () { if (!self.saveFailing) self.setSaveStatus(""); }, SAVED_NOTICE_MS);
      }
      return;
    }
    this.saveFailing = true;
    this.setSaveStatus(this.message("saving-failed"));
    if (this.retryTimer) return;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs ? this.retryMs * 2 : RETRY_FIRST_MS);
    var player = this;
    this.retryTimer = window.setTimeout(CS.guard(function () {
      player.retryTimer = null;
      player.commit();
    }), this.retryMs);
  };

  Player.prototype.setSaveStatus = function (text) {
    this.saveStatus.textContent = text;
    this.saveStatus.classList.toggle("is-visible", Boolean(text));
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

  Player.prototype.finish = function (showPanel) {
    if (this.finished) return;
    var result = this.store();
    this.finished = true;
    if (this.retryTimer) window.clearTimeout(this.retryTimer);
    this.adapter.finish(this.exitFor(result));
    if (showPanel) this.showFinished();
  };

  Player.prototype.showFinished = function () {
    document.body.classList.add("is-finished");
    this.data.steps.forEach(function (step) { document.getElementById(step.dom).hidden = true; });
    var panel = document.getElementById("cs-finished");
    panel.hidden = false;
    panel.querySelector('[data-role="finished-tracked"]').hidden = !this.adapter.tracking;
    panel.querySelector('[data-role="finished-preview"]').hidden = this.adapter.tracking;
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
    var result = this.store();
    this.adapter.checkpoint(this.exitFor(result));
    this.commit();
  };

  /* ---------- events ---------- */

  Player.prototype.bindEvents = function () {
    var self = this;
    var on = function (target, type, fn) { target.addEventListener(type, CS.guard(fn)); };
    on(document.getElementById("cs-prev"), "click", function () { self.go(self.current - 1, { focus: true }); });
    on(document.getElementById("cs-next"), "click", function () { self.go(self.current + 1, { focus: true }); });
    on(document.getElementById("cs-finish"), "click", function () { self.finish(true); });
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
