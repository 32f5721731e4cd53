/*
 * The preview's local LMS: scorm-again plays the SCORM API around the course, as an LMS would
 * (the course in an <iframe>, the API on this page), and the inspector shows what it records.
 *
 * - Every API call the course makes goes through a wrapper that logs it with the error code
 *   GetLastError gives right after it; the inspector redraws from the runtime's data model.
 * - After each successful Commit or Terminate the data model is kept, per SCORM version and
 *   SCO: that is what this LMS "stored", and a relaunch resumes from it as a real LMS would
 *   (SCORM 1.2: all data, entry "resume" after exit "suspend"; SCORM 2004: a new attempt
 *   unless the course suspended).
 * - The page waits on /_preview/wait for the next build. A good build relaunches the course as
 *   a resumed session (progress survives an edit); a build with errors leaves the course as it
 *   is and shows the problems over it.
 *
 * window.__preview exposes the state for tests: calls, stored records, reloads.
 */
(function () {
  "use strict";

  var RUNTIMES = {
    "1.2": {
      global: "API", runtime: "Scorm12API", script: "/_preview/scorm-again/scorm12.min.js",
      lastError: "LMSGetLastError",
      methods: ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
        "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
      stores: { LMSCommit: true, LMSFinish: true },
      queries: { LMSGetLastError: true, LMSGetErrorString: true, LMSGetDiagnostic: true },
      el: {
        entry: "cmi.core.entry", exit: "cmi.core.exit", sessionTime: "cmi.core.session_time",
        totalTime: "cmi.core.total_time", location: "cmi.core.lesson_location",
        mastery: "cmi.student_data.mastery_score", mode: "cmi.core.lesson_mode", credit: "cmi.core.credit"
      }
    },
    "2004": {
      global: "API_1484_11", runtime: "Scorm2004API", script: "/_preview/scorm-again/scorm2004.min.js",
      lastError: "GetLastError",
      methods: ["Initialize", "Terminate", "GetValue", "SetValue", "Commit",
        "GetLastError", "GetErrorString", "GetDiagnostic"],
      stores: { Commit: true, Terminate: true },
      queries: { GetLastError: true, GetErrorString: true, GetDiagnostic: true },
      el: {
        entry: "cmi.entry", exit: "cmi.exit", sessionTime: "cmi.session_time",
        totalTime: "cmi.total_time", location: "cmi.location",
        mastery: "cmi.scaled_passing_score", mode: "cmi.mode", credit: "cmi.credit"
      }
    }
  };

  // The runtime records what the course did and nothing more: no timed commits, no network,
  // no status or time it makes up on the course's behalf (the same as the browser tests' LMS).
  var SETTINGS = {
    autocommit: false, lmsCommitUrl: false, useAsynchronousCommits: false, sendFullCommit: true,
    strict_errors: true, logLevel: 5, mastery_override: false, score_overrides_status: false,
    autoCompleteLessonStatus: false, selfReportSessionTime: false, accumulateSessionTimeOnTerminate: false
  };
  var MAX_CALLS_SHOWN = 2000;

  var preview = {
    state: null, generation: -1, version: null, sco: 0, mode: "resume", api: null,
    calls: [], stored: {}, reloads: [], launches: 0
  };
  window.__preview = preview;

  function $(selector) { return document.querySelector(selector); }
  function field(name) { return document.querySelector('[data-field="' + name + '"]'); }
  function runtimeOf(version) { return version === "1.2" ? "1.2" : "2004"; }
  function text(node, value) { node.textContent = value === undefined || value === null || value === "" ? "–" : String(value); }

  /* ---------- time, as the LMS adds sessions up ---------- */

  function seconds(value) {
    var t = String(value || "");
    var clock = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(t);
    if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
    var iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(t);
    if (!iso) return 0;
    return Number(iso[1] || 0) * 86400 + Number(iso[2] || 0) * 3600 + Number(iso[3] || 0) * 60 + Number(iso[4] || 0);
  }

  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }

  function totalTime(runtime, total) {
    var cs = Math.round(total * 100);
    if (runtime === "2004") return "PT" + (cs / 100) + "S";
    return pad(Math.floor(cs / 360000), 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" +
      pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
  }

  /* ---------- the runtime ---------- */

  var loading = {};
  function loadRuntime(spec) {
    if (!loading[spec.script]) {
      loading[spec.script] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.onload = resolve;
        script.onerror = function () { reject(new Error("could not load " + spec.script)); };
        script.src = spec.script;
        document.head.appendChild(script);
      });
    }
    return loading[spec.script];
  }

  function snapshot(api) {
    var flat = api.getFlattenedCMI();
    var data = {};
    Object.keys(flat).forEach(function (key) {
      var value = flat[key];
      if (value !== null && value !== undefined && typeof value !== "object" && String(value) !== "") {
        data[key] = String(value);
      }
    });
    return data;
  }

  function storeKey() { return preview.version + "|" + currentSco().id; }

  // What this LMS hands to the next launch of a SCO, from what it stored at the last one.
  function launchData(runtime, kept, review) {
    var el = RUNTIMES[runtime].el;
    var data = {};
    var resumes = kept && kept.data[el.exit] === "suspend";
    if (kept && (runtime === "1.2" || resumes || review)) {
      Object.keys(kept.data).forEach(function (key) {
        if (key !== el.entry && key !== el.exit && key !== el.sessionTime && key !== el.totalTime &&
            key !== el.mode && key !== el.credit) data[key] = kept.data[key];
      });
      if (data["cmi.core.lesson_status"] === "not attempted") delete data["cmi.core.lesson_status"];
      data[el.totalTime] = totalTime(runtime, kept.totalSeconds);
    }
    data[el.entry] = resumes ? "resume" : runtime === "1.2" && kept ? "" : "ab-initio";
    if (review) {
      data[el.mode] = "review";
      data[el.credit] = "no-credit";
    }
    var mastery = currentSco().mastery;
    if (mastery !== null && mastery !== undefined) {
      data[el.mastery] = runtime === "1.2" ? String(mastery) : String(mastery / 100);
    }
    return data;
  }

  function wrap(api, spec, key, calls) {
    var readLastError = api[spec.lastError];
    var kept = preview.stored[key];
    var totalAtStart = kept ? kept.totalSeconds : 0;
    spec.methods.forEach(function (name) {
      var original = api[name];
      if (typeof original !== "function") return;
      api[name] = function () {
        var args = Array.prototype.slice.call(arguments);
        var call = { index: calls.length, method: name, args: args.map(String), result: "", error: "0" };
        var result;
        try {
          result = original.apply(api, args);
        } catch (e) {
          call.result = "threw " + (e && e.message ? e.message : e);
          call.error = String(readLastError.call(api));
          calls.push(call);
          changed(call, calls);
          throw e;
        }
        call.result = result === undefined || result === null ? "" : String(result);
        if (!spec.queries[name]) call.error = String(readLastError.call(api));
        calls.push(call);
        if (spec.stores[name] && call.result === "true" && call.error === "0") {
          var data = snapshot(api);
          preview.stored[key] = { data: data, totalSeconds: totalAtStart + seconds(data[spec.el.sessionTime]) };
        }
        changed(call, calls);
        return result;
      };
    });
  }

  /* ---------- launching ---------- */

  function currentSco() {
    var scos = preview.state && preview.state.scos ? preview.state.scos : [];
    return scos[preview.sco] || scos[0] || { id: "", href: "", mastery: null, title: "" };
  }

  function closeContent() {
    var frame = $("#content");
    if (frame) frame.remove();          // unloads the course: its pagehide ends the session
  }

  function launch(mode) {
    preview.mode = mode;
    closeContent();
    var runtime = runtimeOf(preview.version);
    var spec = RUNTIMES[runtime];
    return loadRuntime(spec).then(function () {
      var key = storeKey();
      if (mode === "fresh") delete preview.stored[key];
      var data = launchData(runtime, preview.stored[key] || null, mode === "review");
      var api = new window[spec.runtime](Object.assign({}, SETTINGS));
      api.loadFromFlattenedJSON(data);
      api.lastErrorCode = "0";
      var calls = [];
      wrap(api, spec, key, calls);
      delete window.API;
      delete window.API_1484_11;
      window[spec.global] = api;
      preview.api = api;
      preview.calls = calls;
      preview.runtime = runtime;
      preview.launches += 1;
      field("calls").textContent = "";
      text(field("launch"), "SCORM " + preview.version + ", " + currentSco().title + ": " +
        (mode === "fresh" ? "new attempt" : mode === "review" ? "review mode (no credit)" :
          data[spec.el.entry] === "resume" ? "resumed session" : "new attempt") +
        " (entry \"" + data[spec.el.entry] + "\")");
      var mastery = data[spec.el.mastery];
      text(field("mastery"), mastery === undefined ? "none" : spec.el.mastery + " = " + mastery);
      draw();
      var frame = document.createElement("iframe");
      frame.id = "content";
      frame.name = "sco";
      frame.title = "Course content";
      frame.src = "/" + currentSco().href;
      $("#frame-holder").appendChild(frame);
      return new Promise(function (resolve) { frame.addEventListener("load", resolve, { once: true }); });
    });
  }

  /* ---------- the inspector ---------- */

  var drawing = false;
  function changed(call, calls) {
    if (calls === preview.calls) appendCall(call);
    if (drawing) return;
    drawing = true;
    window.requestAnimationFrame(function () { drawing = false; draw(); });
  }

  function appendCall(call) {
    var list = field("calls");
    var item = document.createElement("li");
    item.value = call.index + 1;
    item.textContent = call.method + "(" + call.args.map(JSON.stringify).join(", ") + ") \u2192 " +
      JSON.stringify(call.result) + "  error " + call.error;
    if (call.error !== "0" || call.result === "false") item.className = "failed";
    list.appendChild(item);
    while (list.childNodes.length > MAX_CALLS_SHOWN) list.removeChild(list.firstChild);
    text(field("call-count"), "(" + preview.calls.length + ")");
  }

  function collection(data, prefix) {
    var rows = [];
    Object.keys(data).forEach(function (key) {
      var match = new RegExp("^" + prefix.replace(/\./g, "\\.") + "(\\d+)\\.(.+)$").exec(key);
      if (!match) return;
      var row = rows[Number(match[1])] = rows[Number(match[1])] || {};
      row[match[2]] = data[key];
    });
    return rows.filter(Boolean);
  }

  function fillTable(body, rows, cells) {
    body.textContent = "";
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      cells.forEach(function (name) {
        var td = document.createElement("td");
        var value = "";
        (Array.isArray(name) ? name : [name]).forEach(function (n) { if (!value && row[n]) value = row[n]; });
        td.textContent = value;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function draw() {
    var api = preview.api;
    if (!api) return;
    var data = snapshot(api);
    var v12 = preview.runtime === "1.2";
    var status = v12 ? data["cmi.core.lesson_status"]
      : (data["cmi.completion_status"] || "unknown") + " / " + (data["cmi.success_status"] || "unknown");
    text(field("status"), status);
    var score = v12 ? data["cmi.core.score.raw"]
      : data["cmi.score.scaled"] !== undefined ? data["cmi.score.scaled"] + " (raw " + (data["cmi.score.raw"] || "–") + ")" : "";
    text(field("score"), score);
    text(field("location"), data[v12 ? "cmi.core.lesson_location" : "cmi.location"]);
    text(field("exit"), data[v12 ? "cmi.core.exit" : "cmi.exit"]);
    var length = (data["cmi.suspend_data"] || "").length;
    var limit = preview.state && preview.state.limit;
    var node = field("suspend-data");
    node.textContent = length + " of " + limit + " characters";
    node.classList.toggle("over-limit", length > limit);
    var interactions = collection(data, "cmi.interactions.");
    text(field("interaction-count"), "(" + interactions.length + ")");
    fillTable(field("interactions"), interactions, ["id", "type", ["student_response", "learner_response"], "result"]);
    var objectives = collection(data, "cmi.objectives.");
    text(field("objective-count"), "(" + objectives.length + ")");
    fillTable(field("objectives"), objectives, ["id", "completion_status", ["success_status", "status"], ["score.scaled", "score.raw"]]);
  }

  /* ---------- builds ---------- */

  function showProblems(problems) {
    var box = $("#course-error");
    var list = field("problems");
    list.textContent = "";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p.path + ":" + p.line + ":" + p.column + ": " + p.severity + ": " + p.message;
      if (p.hint) {
        var hint = document.createElement("div");
        hint.className = "hint";
        hint.textContent = "hint: " + p.hint;
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    box.hidden = problems.length === 0;
  }

  function fillSelects(state) {
    var versions = $("#version");
    versions.textContent = "";
    state.versions.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v + (state.course && state.course.versions.indexOf(v) < 0 ? " (not in course.yaml)" : "");
      option.selected = v === state.version;
      versions.appendChild(option);
    });
    var scos = $("#sco");
    scos.textContent = "";
    (state.scos || []).forEach(function (sco, i) {
      var option = document.createElement("option");
      option.value = String(i);
      option.textContent = sco.title;
      option.selected = i === preview.sco;
      scos.appendChild(option);
    });
    $("#sco-label").hidden = !state.scos || state.scos.length < 2;
  }

  function apply(state) {
    if (state.generation === preview.generation) return Promise.resolve();
    var first = preview.generation < 0;
    preview.generation = state.generation;
    showProblems(state.problems);
    text(field("build"), state.problems.length ? "build failed" :
      "built in " + state.buildSeconds.toFixed(2) + "s" + (state.changed.length ? ": " + state.changed.slice(0, 3).join(", ") : ""));
    if (state.problems.length || !state.course) return Promise.resolve();
    var versionChanged = state.version !== preview.version;
    preview.state = state;
    preview.version = state.version;
    if (preview.sco >= state.scos.length) preview.sco = 0;
    text(field("course-title"), state.course.title + " \u2013 preview");
    document.title = state.course.title + " \u2013 coursesmith preview";
    fillSelects(state);
    if (!first && !versionChanged && !state.changed.length && $("#content")) return Promise.resolve();
    var started = performance.now();
    return launch(preview.mode === "fresh" ? "resume" : preview.mode).then(function () {
      if (!first) preview.reloads.push({ generation: state.generation, changed: state.changed, at: Date.now(), ms: performance.now() - started });
    });
  }

  function wait() {
    fetch("/_preview/wait?after=" + preview.generation, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) { return apply(state); })
      .then(wait, function () { window.setTimeout(wait, 1000); });   // the preview stopped or restarted
  }

  function use(version) {
    return fetch("/_preview/use?version=" + encodeURIComponent(version), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(apply);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $('[data-control="reset"]').addEventListener("click", function () { launch("fresh"); });
    $('[data-control="relaunch"]').addEventListener("click", function () { launch("resume"); });
    $('[data-control="review"]').addEventListener("click", function () { launch("review"); });
    $("#version").addEventListener("change", function (event) { use(event.target.value); });
    $("#sco").addEventListener("change", function (event) {
      preview.sco = Number(event.target.value);
      launch("resume");
    });
    fetch("/_preview/state", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(apply)
      .then(wait);
  });
})();
