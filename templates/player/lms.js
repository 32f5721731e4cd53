/*
 * LMS adapters: one interface, three implementations (SCORM 1.2, SCORM 2004, standalone).
 *
 * The player talks only to the interface below; every SCORM element name and vocabulary lives
 * here. How each runtime writes times and responses comes with the player's data ("lms", from
 * builder/editions.py FORMATS), and is read here as `formats`. No call ever throws: an LMS API
 * that throws, returns "false" or reports an error code is recorded in Coursesmith.problems and
 * the learner carries on.
 *
 *   CS.lms.connect(version, {storageKey, language, objectiveIds, formats})   objectiveIds: the ids of
 *                               the objectives the player reports (its modules); formats: the
 *                               player's data "lms", how the runtime writes times and responses
 *   adapter.version          "1.2" | "2004" | "none"
 *   adapter.tracking         true when an LMS records the session
 *   adapter.start()          -> {resume, suspendData, suspendRead, location, totalSeconds, mastery,
 *                               recorded, learnerId, mode, credit} or null
 *                               suspendRead: false when the LMS would not give suspend_data (the
 *                               player then must not write it); recorded: on a resume or a review, what the
 *                               LMS holds already ({completed, passed, score, objectives: {id:
 *                               {completed, passed}}}), never taken back
 *   adapter.readSuspendData() -> {ok, value}: one more try at reading suspend_data
 *                               mode: "normal" | "review" | "browse"; credit: false for "no-credit"
 *   adapter.saveProgress(suspendData, location)   suspendData null: leave the stored one alone
 *   adapter.recording        what this session may change in the LMS: "all"; "progress" (no-credit:
 *                               place and progress, no status, score or interaction); "nothing"
 *                               (review and browse: the recorded attempt is shown, never changed)
 *   adapter.report(result, reporting)   result from Coursesmith.completion.evaluate; reporting
 *                               the course's scorm.reporting ({status: "passed/failed", ...})
 *   adapter.recordInteraction(record)
 *   adapter.commit()         -> true when the LMS accepted the data
 *   adapter.finish(exit, request)   exit: "suspend" | "normal"; request: a SCORM 2004
 *                               adl.nav.request ("suspendAll", "exitAll") or ""; sets session time
 *                               and exit, terminates once;
 *                               -> true when the LMS confirmed it
 *   adapter.trouble()        -> "" | "refused" (the LMS refuses the learner's data) | "gone" (the
 *                               API stopped answering, e.g. the LMS window was closed)
 */
(function (CS) {
  "use strict";

  var MAX_FRAME_HOPS = 10;
  var READ_TRIES = 3;              // a read that fails or comes back empty on a resume is tried again
  var CHOICE_IDS = "abcdefghijklmnopqrstuvwxyz0123456789";

  CS.problems = CS.problems || [];
  function problem(text) {
    CS.problems.push(String(text));
  }

  /* ---------- finding the API ---------- */

  // Reading a property of a cross-origin window throws: every access is guarded.
  function apiIn(win, name) {
    try {
      var api = win[name];
      return api && typeof api === "object" ? api : null;
    } catch (e) {
      return null;
    }
  }

  function parentOf(win) {
    try {
      return win.parent && win.parent !== win ? win.parent : null;
    } catch (e) {
      return null;
    }
  }

  function searchUp(start, name) {
    var win = start;
    for (var hops = 0; win && hops <= MAX_FRAME_HOPS; hops++) {
      var api = apiIn(win, name);
      if (api) return api;
      win = parentOf(win);
    }
    return null;
  }

  function findApi(name) {
    var api = searchUp(window, name);
    if (api) return api;
    var opener = null;
    try {
      opener = window.opener || null;
    } catch (e) {
      opener = null;
    }
    return opener ? searchUp(opener, name) : null;
  }

  /* ---------- time and number formats ---------- */

  function pad(value, width) {
    var text = String(value);
    while (text.length < width) text = "0" + text;
    return text;
  }

  function centiseconds(seconds) {
    return Math.max(0, Math.round(seconds * 100));
  }

  // SCORM 1.2 CMITimespan: HHHH:MM:SS.SS
  function timespan12(seconds) {
    var cs = centiseconds(seconds);
    var hours = Math.min(9999, Math.floor(cs / 360000));
    var minutes = Math.floor(cs / 6000) % 60;
    var secs = Math.floor(cs / 100) % 60;
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(secs, 2) + "." + pad(cs % 100, 2);
  }

  // SCORM 2004 timeinterval: ISO 8601 duration, at most two decimals on the seconds.
  function duration2004(seconds) {
    var cs = centiseconds(seconds);
    var hours = Math.floor(cs / 360000);
    var minutes = Math.floor(cs / 6000) % 60;
    var rest = cs % 6000;
    var text = "PT";
    if (hours) text += hours + "H";
    if (minutes) text += minutes + "M";
    if (rest || (!hours && !minutes)) {
      var whole = Math.floor(rest / 100);
      var fraction = rest % 100;
      text += whole + (fraction ? "." + pad(fraction, 2).replace(/0$/, "") : "") + "S";
    }
    return text;
  }

  // Accepts both versions' formats; anything unreadable counts as zero.
  function parseDuration(text) {
    text = String(text || "").trim();
    var clock = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(text);
    if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
    var iso = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
    if (!iso) return 0;
    var factors = [31536000, 2592000, 604800, 86400, 3600, 60, 1];
    var total = 0;
    for (var i = 0; i < factors.length; i++) {
      if (iso[i + 1]) total += Number(iso[i + 1]) * factors[i];
    }
    return total;
  }

  function clockTime12(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  // Local time without a zone designator: with one, SCORM wants a fraction on the seconds.
  function timestamp2004(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) +
      "T" + clockTime12(date);
  }

  // A plain decimal (no exponent, no leading "."), which both versions' CMIDecimal accept.
  function decimal(value) {
    if (!isFinite(value)) return "0";
    var text = Number(value).toFixed(6).replace(/\.?0+$/, "");
    return text === "-0" ? "0" : text;
  }

  // A learner's number as CMIDecimal, or "" when it cannot be one (unreadable, or more than the
  // ten integer digits LMSs accept): the interaction is then recorded without the response.
  // Read as the quiz read it (quiz.js), so "1,000" goes to the LMS as the 1000 that was marked.
  function typedDecimal(text, language) {
    var value = CS.quiz ? CS.quiz.parseNumber(text, language) : null;
    return value !== null && isFinite(value) && Math.abs(value) < 1e10 ? decimal(value) : "";
  }

  function round(value, places) {
    var factor = Math.pow(10, places);
    return Math.round(value * factor) / factor;
  }

  var DURATIONS = { timespan: timespan12, iso8601: duration2004 };
  var INTERACTION_TIMES = { time: clockTime12, timestamp: timestamp2004 };

  /* ---------- responses in the runtime's format ---------- */

  function choiceId(index) {
    return index < CHOICE_IDS.length ? CHOICE_IDS.charAt(index) : "o" + (index + 1);
  }

  function identity(count) {
    var list = [];
    for (var i = 0; i < count; i++) list.push(i);
    return list;
  }

  // A text response as SCORM 2004's localized string allows it: one line, at most 250
  // characters, not starting with "{" (read as a delimiter) and without the "[,]" separator.
  function plainText2004(text) {
    var clean = String(text).replace(/\s+/g, " ").trim().replace(/\[,\]/g, "[ ,]");
    if (clean.charAt(0) === "{") clean = "(" + clean.slice(1);
    return clean.slice(0, 250).trim();
  }

  // matching: the embedded course data's "rights" names each left item's right one (the first of equal texts).
  function rightsOf(question) {
    return question.rights || identity(question.size);
  }

  // A typed text as the runtime takes it (formats.text).
  function typedText(formats, text) {
    return formats.text === "localized" ? plainText2004(text) : text.slice(0, 255);
  }

  // formats: the runtime's (builder/editions.py FORMATS), as the player's data gives them.
  function responses(formats, question, answer, language) {
    var list = formats.listSeparator;
    var pair = formats.pairSeparator;
    var type = question.interaction;      // SCORM's interaction type (builder/questions.py)
    var learner = "";
    var correct = [];
    if (type === "choice") {
      var chosen = question.codec === "some" ? answer.slice().sort(function (a, b) { return a - b; }) : [answer];
      learner = chosen.map(choiceId).join(list);
      correct = [question.correct.map(choiceId).join(list)];
    } else if (type === "true-false") {
      learner = formats.trueFalse[answer ? 0 : 1];
      correct = [formats.trueFalse[question.answer ? 0 : 1]];
    } else if (type === "likert") {
      learner = choiceId(answer);
    } else if (type === "fill-in") {
      var text = answer.text === null ? "" : answer.text;
      learner = typedText(formats, text);
      correct = question.answers.slice(0, formats.correctTexts).map(function (a) {
        return (question.caseSensitive ? formats.caseMatters : "") + typedText(formats, a);
      });
    } else if (type === "numeric") {
      learner = answer.text === null ? "" : typedDecimal(answer.text, language);
      correct = [formats.numericRange
        ? decimal(question.answer - question.tolerance) + formats.numericRange + decimal(question.answer + question.tolerance)
        : decimal(question.answer)];
    } else if (type === "matching") {
      learner = answer.map(function (right, left) { return choiceId(left) + pair + choiceId(right); }).join(list);
      correct = [rightsOf(question).map(function (right, left) { return choiceId(left) + pair + choiceId(right); }).join(list)];
    } else if (type === "sequencing") {
      learner = answer.map(choiceId).join(list);
      correct = [identity(question.size).map(choiceId).join(list)];
    }
    return { learner: learner, correct: correct.filter(function (p) { return p !== ""; }) };
  }

  /* ---------- the SCORM adapters ---------- */

  function ScormAdapter(api, spec, formats) {
    this.api = api;
    this.spec = spec;
    this.formats = formats;
    this.duration = DURATIONS[formats.duration];
    this.version = spec.version;
    this.tracking = true;
    this.started = false;
    this.finished = false;
    this.startedAt = Date.now();
    this.written = {};
    this.interactionCount = 0;
    this.objectiveIndex = {};
    this.recording = "all";
  }

  // An API that throws, or whose methods are gone, has stopped answering (its window closed).
  ScormAdapter.prototype.call = function (method, args) {
    var fn = this.api[this.spec.methods[method]];
    try {
      if (typeof fn !== "function") throw new Error("the LMS API has no " + this.spec.methods[method]);
      var result = fn.apply(this.api, args || []);
      return result === undefined || result === null ? "" : String(result);
    } catch (e) {
      this.gone = true;
      problem(method + " threw: " + (e && e.message ? e.message : e));
      return method === "GetLastError" ? "101" : "false";
    }
  };

  ScormAdapter.prototype.errorCode = function () {
    var code = this.call("GetLastError");
    return code === "" ? "0" : code;
  };

  ScormAdapter.prototype.get = function (element, quietCodes) {
    var value = this.call("GetValue", [element]);
    var code = this.errorCode();
    if (code !== "0" && (quietCodes || []).indexOf(code) < 0) {
      problem("GetValue(" + element + ") failed with error " + code);
    }
    return code === "0" ? value : "";
  };

  ScormAdapter.prototype.set = function (element, value) {
    var text = String(value);
    var ok = this.call("SetValue", [element, text]) === "true";
    if (!ok) problem("SetValue(" + element + ", " + text + ") failed with error " + this.errorCode());
    // The learner's own progress refused (351, 405, 101...): nothing of it is being kept.
    if (element === this.spec.elements.suspendData) this.refused = !ok;
    return ok;
  };

  // Sends only what changed, so the LMS log shows decisions rather than repetitions.
  ScormAdapter.prototype.setChanged = function (element, value) {
    var text = String(value);
    if (this.written[element] === text) return true;
    var ok = this.set(element, text);
    if (ok) this.written[element] = text;
    return ok;
  };

  ScormAdapter.prototype.start = function () {
    if (this.started) return null;
    if (this.call("Initialize", [""]) !== "true") {
      problem("Initialize failed with error " + this.errorCode());
      return null;
    }
    this.started = true;
    this.startedAt = Date.now();
    var s = this.spec.elements;
    var entry = this.get(s.entry);
    var resume = entry === "resume";
    // lesson_mode is optional in SCORM 1.2 (401 where a runtime leaves it out): normal then.
    var mode = this.get(s.mode, ["401", "403"]) || "normal";
    var credit = this.get(s.credit, ["401", "403"]) !== "no-credit";
    this.recording = mode === "review" || mode === "browse" ? "nothing" : credit ? "all" : "progress";
    // A review shows the attempt as recorded, whatever entry says: after an attempt that ended
    // (exit normal) the LMS reopens it with entry "" but may still hold its data.
    var readBack = resume || this.recording === "nothing";
    var stored = readBack ? this.readSuspendData() : { ok: true, value: "" };
    var info = {
      resume: resume,
      suspendData: stored.value,
      suspendRead: stored.ok,
      location: readBack ? this.get(s.location, ["403"]) : "",
      learnerId: this.get(s.learnerId, ["403"]),
      totalSeconds: parseDuration(this.get(s.totalTime, ["403"])),
      // The model's pass marks decide passed and failed; an LMS pass mark only means that the
      // LMS may judge a score by it (see completion.js, forLms).
      mastery: this.get(s.mastery, ["403"]),
      mode: mode,
      credit: credit
    };
    info.resume = resume || (readBack && info.suspendData !== "");
    info.recorded = readBack ? this.readRecorded() : null;
    // SCORM 1.2 hands a new session the data of an ended one (entry ""): its score is not this
    // session's, and an LMS judging by the pass mark would fail the fresh try by it.
    this.oldScore = !resume && this.recording === "all" && this.version === "1.2" &&
      this.get("cmi.core.score.raw") !== "";
    var count = parseInt(this.get(s.interactionCount), 10);
    this.interactionCount = isNaN(count) ? 0 : count;
    this.readObjectives();
    if (info.recorded) info.recorded.objectives = this.recordedObjectives || {};
    return info;
  };

  /*
   * suspend_data on a resume. A read that fails, or that comes back empty although the LMS says
   * the learner is resuming (a transient glitch), is tried again: writing after it would replace
   * the learner's stored progress with a fresh start. ok: false when no try succeeded.
   */
  ScormAdapter.prototype.readSuspendData = function () {
    var element = this.spec.elements.suspendData;
    var result = { ok: false, value: "" };
    for (var i = 0; i < READ_TRIES && !result.value; i++) {
      var value = this.call("GetValue", [element]);
      var code = this.errorCode();
      // SCORM 2004 answers 403 for an element never set: a real, empty answer.
      if (code === "0" || (code === "403" && this.version === "2004")) {
        result.ok = true;
        result.value = code === "0" ? value : "";
      } else {
        problem("GetValue(" + element + ") failed with error " + code);
      }
    }
    return result;
  };

  ScormAdapter.prototype.trouble = function () {
    return this.gone ? "gone" : this.refused ? "refused" : "";
  };

  // The result the LMS holds from earlier sessions of this attempt.
  ScormAdapter.prototype.readRecorded = function () {
    var quiet = ["403"];
    var score;
    if (this.version === "1.2") {
      var status = this.get("cmi.core.lesson_status", quiet);
      score = this.get("cmi.core.score.raw", quiet);
      return {
        completed: status === "completed" || status === "passed",
        passed: status === "passed",
        score: score === "" || isNaN(Number(score)) ? null : Number(score)
      };
    }
    score = this.get("cmi.score.scaled", quiet);
    return {
      completed: this.get("cmi.completion_status", quiet) === "completed",
      passed: this.get("cmi.success_status", quiet) === "passed",
      score: score === "" || isNaN(Number(score)) ? null : Number(score) * 100
    };
  };

  // Only a session for credit changes what the LMS holds as the result.
  ScormAdapter.prototype.mayChange = function (what) {
    if (!this.started || this.finished) return false;
    return this.recording === "all" || (this.recording === "progress" && what === "progress");
  };

  // suspendData null: the stored progress has not been read, so neither it nor the place is written.
  ScormAdapter.prototype.saveProgress = function (suspendData, location) {
    if (!this.mayChange("progress") || suspendData === null) return;
    var s = this.spec.elements;
    this.setChanged(s.suspendData, suspendData);
    this.setChanged(s.location, location.slice(0, this.spec.locationLimit));
  };

  ScormAdapter.prototype.commit = function () {
    if (!this.started || this.finished) return false;
    if (this.recording === "nothing") return true;      // nothing was set, nothing to store
    var ok = this.call("Commit", [""]) === "true";
    if (!ok) problem("Commit failed with error " + this.errorCode());
    return ok;
  };

  ScormAdapter.prototype.sessionSeconds = function () {
    return (Date.now() - this.startedAt) / 1000;
  };

  // Marks the session as resumable even if the browser never delivers pagehide.
  ScormAdapter.prototype.checkpoint = function (exit) {
    if (!this.mayChange("progress")) return;
    var s = this.spec.elements;
    this.set(s.sessionTime, this.duration(this.sessionSeconds()));
    this.setChanged(s.exit, this.spec.exitValue(exit));
  };

  ScormAdapter.prototype.finish = function (exit, request) {
    if (!this.started || this.finished) return false;
    var s = this.spec.elements;
    if (this.mayChange("progress")) {
      this.set(s.sessionTime, this.duration(this.sessionSeconds()));
      this.set(s.exit, this.spec.exitValue(exit));
      // The LMS's sequencer acts on the request after Terminate: suspendAll takes the learner
      // out of the course keeping the attempt, exitAll ends it.
      if (request && this.version === "2004") this.set("adl.nav.request", request);
    }
    this.finished = true;
    var ok = this.call("Terminate", [""]) === "true";
    if (!ok) problem("Terminate failed with error " + this.errorCode());
    return ok;
  };

  ScormAdapter.prototype.nextInteraction = function () {
    var count = parseInt(this.get(this.spec.elements.interactionCount), 10);
    var index = isNaN(count) ? this.interactionCount : Math.max(count, this.interactionCount);
    this.interactionCount = index + 1;
    return "cmi.interactions." + index + ".";
  };

  /*
   * record: {question, answer, result: "correct"|"incorrect"|"neutral", latencySeconds, when: Date,
   *          description}
   * id first, then type, before any response: strict runtimes refuse responses of an untyped
   * interaction.
   */
  ScormAdapter.prototype.recordInteraction = function (record) {
    if (!this.mayChange("result")) return;
    var formats = this.formats;
    var q = record.question;
    var r = responses(formats, q, record.answer, this.spec.language);
    var base = this.nextInteraction();
    this.set(base + "id", q.id);
    this.set(base + "type", q.interaction);
    this.set(base + formats.interactionTime, INTERACTION_TIMES[formats.interactionTime](record.when));
    if (formats.describes && record.description) this.set(base + "description", this.describe(record.description));
    this.set(base + "weighting", q.scored ? "1" : "0");
    if (r.learner !== "") this.set(base + formats.learnerResponse, r.learner);
    for (var i = 0; i < r.correct.length; i++) {
      this.set(base + "correct_responses." + i + ".pattern", r.correct[i]);
    }
    this.set(base + "result", record.result === "incorrect" ? formats.incorrect : record.result);
    this.set(base + "latency", this.duration(record.latencySeconds));
  };

  ScormAdapter.prototype.describe = function (text) {
    var prefix = /^([a-zA-Z]{1,8}|i|x)(-[a-zA-Z0-9-]{2,8})?$/.test(this.spec.language)
      ? "{lang=" + this.spec.language + "}" : "";
    return prefix + plainText2004(text);
  };

  /*
   * result: {completed, success: "passed"|"failed"|"unknown", score: 0..100 | null,
   *          progress: 0..1, objectives: [{id, completed, success, score, progress}]}
   * The score goes first: an LMS may judge a status by the score it already holds.
   */
  ScormAdapter.prototype.report = function (result, reporting) {
    if (!this.mayChange("result")) return;
    var status = reportedStatus(result, (reporting && reporting.status) || DEFAULT_STATUS_PAIR);
    var i;
    if (this.version === "1.2") {
      if (result.score !== null) {
        this.setChanged("cmi.core.score.min", "0");
        this.setChanged("cmi.core.score.max", "100");
        this.setChanged("cmi.core.score.raw", decimal(round(result.score, 2)));
      } else if (this.oldScore) {
        this.setChanged("cmi.core.score.raw", "");      // CMIBlank: 1.2 allows a score to be cleared
      }
      this.setChanged("cmi.core.lesson_status", status.lessonStatus);
      for (i = 0; i < result.objectives.length; i++) this.reportObjective(result.objectives[i]);
      return;
    }
    if (result.score !== null) {
      this.setChanged("cmi.score.scaled", decimal(round(result.score / 100, 4)));
      this.setChanged("cmi.score.raw", decimal(round(result.score, 2)));
      this.setChanged("cmi.score.min", "0");
      this.setChanged("cmi.score.max", "100");
    }
    this.setChanged("cmi.progress_measure", decimal(round(result.progress, 4)));
    this.setChanged("cmi.completion_status", status.completion);
    this.setChanged("cmi.success_status", status.success);
    for (i = 0; i < result.objectives.length; i++) this.reportObjective(result.objectives[i]);
  };

  var DEFAULT_STATUS_PAIR = "passed/failed";

  /*
   * What the LMS is told about the SCO as a whole, by the course's status pair ("passed/failed":
   * the first word for a passed course, the second for a failed one):
   * - passed: 1.2 the first word; 2004 completed and passed.
   * - failed, ".../failed": 1.2 "failed"; 2004 completed and failed: the attempt is over, so
   *   Moodle and Totara reopen it in review mode and offer a new attempt.
   * - failed, ".../incomplete": "incomplete" (2004 success unknown): the LMS counts nothing done
   *   whatever its completion setting, and the next launch is a fresh try in the same attempt.
   * - otherwise "incomplete", also when every required quiz is taken but one still waits for a
   *   pass: LMSs count "completed" as done (Moodle and Totara in SCORM 2004 too).
   * What the LMS recorded as completed is never taken back (keptCompleted, completion.js).
   * Returns {lessonStatus (1.2), completion, success (2004), outcome: "passed"|"failed"|"open"}.
   */
  function reportedStatus(result, pair) {
    var words = String(pair).split("/");
    var outcome = result.success === "failed" ? "failed"
      : result.completed && result.success === "passed" ? "passed" : "open";
    var kept = Boolean(result.keptCompleted);
    if (outcome === "passed") {
      return { outcome: outcome, lessonStatus: words[0], completion: "completed", success: "passed" };
    }
    if (outcome === "failed" && words[1] === "failed") {
      return { outcome: outcome, lessonStatus: "failed", completion: "completed", success: "failed" };
    }
    if (outcome === "failed") {
      return { outcome: outcome, lessonStatus: kept ? "completed" : "incomplete",
        completion: kept ? "completed" : "incomplete", success: "unknown" };
    }
    return { outcome: outcome, lessonStatus: kept ? "completed" : "incomplete",
      completion: kept ? "completed" : "incomplete", success: "unknown" };
  }

  // The LMS may already hold objectives (from the manifest or an earlier session): reuse their index.
  ScormAdapter.prototype.readObjectives = function () {
    var count = parseInt(this.get("cmi.objectives._count", ["401"]), 10) || 0;
    this.recordedObjectives = {};
    for (var i = 0; i < count; i++) {
      var id = this.get("cmi.objectives." + i + ".id");
      if (!id) continue;
      this.objectiveIndex[id] = i;
      // Only the modules' objectives hold what the player recorded. The LMS may list others, such
      // as the manifest's primary objective, whose status nobody set: Moodle answers 403 to those.
      if (!this.ownsObjective(id)) continue;
      // What a module already reached is kept like the course's status (completion.keepRecorded).
      if (this.version === "1.2") {
        var status = this.get("cmi.objectives." + i + ".status", ["403"]);
        this.recordedObjectives[id] = { completed: status === "passed" || status === "completed",
          passed: status === "passed" };
        continue;
      }
      this.recordedObjectives[id] = {
        completed: this.get("cmi.objectives." + i + ".completion_status", ["403"]) === "completed",
        passed: this.get("cmi.objectives." + i + ".success_status", ["403"]) === "passed"
      };
    }
    this.objectiveCount = count;
  };

  ScormAdapter.prototype.ownsObjective = function (id) {
    var own = this.spec.objectiveIds;
    return !own || own.indexOf(id) >= 0;
  };

  ScormAdapter.prototype.reportObjective = function (objective) {
    var index = this.objectiveIndex[objective.id];
    if (index === undefined) {
      index = this.objectiveCount;
      if (!this.set("cmi.objectives." + index + ".id", objective.id)) return;
      this.objectiveIndex[objective.id] = index;
      this.objectiveCount = index + 1;
    }
    var base = "cmi.objectives." + index + ".";
    if (this.version === "1.2") {
      // One status per module, as the SCO's own: passed, failed, or how far the module got.
      if (objective.score !== null) {
        this.setChanged(base + "score.min", "0");
        this.setChanged(base + "score.max", "100");
        this.setChanged(base + "score.raw", decimal(round(objective.score, 2)));
      }
      this.setChanged(base + "status", objective.success === "failed" ? "failed"
        : objective.completed && objective.success === "passed" ? "passed"
        : objective.progress > 0 ? "incomplete" : "not attempted");
      return;
    }
    if (objective.score !== null) {
      this.setChanged(base + "score.scaled", decimal(round(objective.score / 100, 4)));
      this.setChanged(base + "score.raw", decimal(round(objective.score, 2)));
      this.setChanged(base + "score.min", "0");
      this.setChanged(base + "score.max", "100");
    }
    this.setChanged(base + "success_status", objective.success);
    // A module not begun is "not attempted": SCORM 2004 pairs that with a progress_measure of 0.
    this.setChanged(base + "completion_status",
      objective.completed ? "completed" : objective.progress > 0 ? "incomplete" : "not attempted");
    this.setChanged(base + "progress_measure", decimal(round(objective.progress, 4)));
  };

  var SCORM12 = {
    version: "1.2",
    locationLimit: 255,
    methods: {
      Initialize: "LMSInitialize", Terminate: "LMSFinish", GetValue: "LMSGetValue",
      SetValue: "LMSSetValue", Commit: "LMSCommit", GetLastError: "LMSGetLastError"
    },
    elements: {
      entry: "cmi.core.entry", suspendData: "cmi.suspend_data", location: "cmi.core.lesson_location",
      totalTime: "cmi.core.total_time", sessionTime: "cmi.core.session_time", exit: "cmi.core.exit",
      mastery: "cmi.student_data.mastery_score", interactionCount: "cmi.interactions._count",
      mode: "cmi.core.lesson_mode", credit: "cmi.core.credit", learnerId: "cmi.core.student_id"
    },
    exitValue: function (exit) { return exit === "suspend" ? "suspend" : ""; }
  };

  var SCORM2004 = {
    version: "2004",
    locationLimit: 1000,
    methods: {
      Initialize: "Initialize", Terminate: "Terminate", GetValue: "GetValue",
      SetValue: "SetValue", Commit: "Commit", GetLastError: "GetLastError"
    },
    elements: {
      entry: "cmi.entry", suspendData: "cmi.suspend_data", location: "cmi.location",
      totalTime: "cmi.total_time", sessionTime: "cmi.session_time", exit: "cmi.exit",
      mastery: "cmi.scaled_passing_score", interactionCount: "cmi.interactions._count",
      mode: "cmi.mode", credit: "cmi.credit", learnerId: "cmi.learner_id"
    },
    exitValue: function (exit) { return exit === "suspend" ? "suspend" : "normal"; }
  };

  /* ---------- standalone: no LMS, progress kept in this browser if it lets us ---------- */

  function StandaloneAdapter(storageKey) {
    this.version = "none";
    this.tracking = false;
    this.recording = "all";
    this.key = storageKey;
    this.memory = null;
    this.startedAt = Date.now();
    this.totalAtStart = 0;
    this.finished = false;
  }

  StandaloneAdapter.prototype.storage = function () {
    try {
      return window.localStorage || null;
    } catch (e) {
      return null;
    }
  };

  StandaloneAdapter.prototype.read = function () {
    var store = this.storage();
    if (store) {
      try {
        var text = store.getItem(this.key);
        if (text) return JSON.parse(text);
      } catch (e) {
        return this.memory;
      }
    }
    return this.memory;
  };

  StandaloneAdapter.prototype.write = function (record) {
    this.memory = record;
    var store = this.storage();
    if (!store) return;
    try {
      store.setItem(this.key, JSON.stringify(record));
    } catch (e) {
      // Storage full or refused: the copy in memory still serves this visit.
    }
  };

  StandaloneAdapter.prototype.start = function () {
    var kept = this.read() || {};
    this.totalAtStart = Number(kept.totalSeconds) || 0;
    this.record = {
      suspendData: String(kept.suspendData || ""),
      location: String(kept.location || ""),
      totalSeconds: this.totalAtStart
    };
    return {
      resume: Boolean(kept.suspendData),
      suspendData: this.record.suspendData,
      suspendRead: true,
      learnerId: "",
      location: this.record.location,
      totalSeconds: this.totalAtStart,
      mastery: "",
      recorded: null,
      mode: "normal",
      credit: true
    };
  };

  StandaloneAdapter.prototype.sessionSeconds = function () {
    return (Date.now() - this.startedAt) / 1000;
  };

  StandaloneAdapter.prototype.saveProgress = function (suspendData, location) {
    if (suspendData === null) return;
    this.record.suspendData = suspendData;
    this.record.location = location;
  };

  StandaloneAdapter.prototype.commit = function () {
    this.record.totalSeconds = this.totalAtStart + this.sessionSeconds();
    this.write(this.record);
    return true;
  };

  StandaloneAdapter.prototype.readSuspendData = function () {
    return { ok: true, value: this.record.suspendData };
  };
  StandaloneAdapter.prototype.trouble = function () { return ""; };
  StandaloneAdapter.prototype.checkpoint = function () {};
  StandaloneAdapter.prototype.report = function () {};
  StandaloneAdapter.prototype.recordInteraction = function () {};

  StandaloneAdapter.prototype.finish = function () {
    if (this.finished) return false;
    this.commit();
    this.finished = true;
    return true;
  };

  /* ---------- choosing an adapter ---------- */

  // A package built for an LMS still works when opened without one (e.g. from file://).
  function connect(version, options) {
    var api = null;
    var spec = null;
    if (version === "1.2") {
      api = findApi("API");
      spec = SCORM12;
    } else if (version === "2004") {
      api = findApi("API_1484_11");
      spec = SCORM2004;
    }
    if (api && typeof api[spec.methods.Initialize] === "function") {
      var adapterSpec = Object.create(spec);
      adapterSpec.language = options.language || "";
      adapterSpec.objectiveIds = options.objectiveIds || null;
      return new ScormAdapter(api, adapterSpec, options.formats);
    }
    return new StandaloneAdapter(options.storageKey);
  }

  CS.lms = {
    connect: connect,
    findApi: findApi,
    reportedStatus: reportedStatus,
    format: {
      timespan12: timespan12,
      duration2004: duration2004,
      parseDuration: parseDuration,
      clockTime12: clockTime12,
      timestamp2004: timestamp2004,
      decimal: decimal,
      responses: responses
    }
  };
})(window.Coursesmith = window.Coursesmith || {});
