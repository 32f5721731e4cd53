/*
 * The test LMS: the parent page that plays a learning management system.
 *
 * tests/browser/lms.py drives it. window.__lms.start(config) creates the scorm-again
 * runtime the way an LMS does (window.API for SCORM 1.2, window.API_1484_11 for
 * SCORM 2004), loads the launch data into it, and only then opens the content in an
 * <iframe>, so the content finds the API by walking window.parent like in a real LMS.
 *
 * Every API call the content makes is appended to window.__lmsLog with its arguments,
 * its return value and the error code GetLastError reports right after it. The error
 * code is read through the runtime's own, unwrapped method so that the log does not
 * add calls of its own. After each successful Commit or Terminate the page keeps a
 * copy of the whole CMI data model: that copy is what this LMS "stored", the data a
 * later launch resumes from.
 *
 * Faults (config.faults) make the runtime misbehave as faulty LMSs do, for the player's
 * fault tests: each is {kind, element?, after?, times?} plus what happens to a matching call:
 *   error: "351"    the call fails: "false" (GetValue: "") and GetLastError answers the code
 *   value: ""       GetValue answers this with error 0 (an LMS that lost the data)
 *   delayMs: 5000   the call blocks the page this long, then runs (a slow, synchronous LMS)
 *   vanish: true    from this call on the API is gone: window.API is deleted and every method
 *                   throws, as the API object of a closed LMS window does
 * `after` skips that many matching calls first; `times` (default: every one) limits the fault.
 * Faulted calls are logged with `fault` set. lms.events records, in order, the start and end of
 * every Commit and anything the test adds (window.parent.__lms.events.push from the content).
 */
(function () {
  "use strict";

  var VERSIONS = {
    "1.2": {
      global: "API",
      runtime: "Scorm12API",
      script: "/npm/scorm-again/dist/scorm12.min.js",
      getLastError: "LMSGetLastError",
      methods: {
        LMSInitialize: "Initialize",
        LMSFinish: "Terminate",
        LMSGetValue: "GetValue",
        LMSSetValue: "SetValue",
        LMSCommit: "Commit",
        LMSGetLastError: "GetLastError",
        LMSGetErrorString: "GetErrorString",
        LMSGetDiagnostic: "GetDiagnostic"
      }
    },
    "2004": {
      global: "API_1484_11",
      runtime: "Scorm2004API",
      script: "/npm/scorm-again/dist/scorm2004.min.js",
      getLastError: "GetLastError",
      methods: {
        Initialize: "Initialize",
        Terminate: "Terminate",
        GetValue: "GetValue",
        SetValue: "SetValue",
        Commit: "Commit",
        GetLastError: "GetLastError",
        GetErrorString: "GetErrorString",
        GetDiagnostic: "GetDiagnostic"
      }
    }
  };

  // The runtime must report what the content did and nothing more: no timed commits,
  // no network, no status or time the runtime makes up on the content's behalf.
  var STRICT_SETTINGS = {
    autocommit: false,
    lmsCommitUrl: false,
    useAsynchronousCommits: false,
    sendFullCommit: true,
    strict_errors: true,
    logLevel: "WARN",
    mastery_override: false,
    score_overrides_status: false,
    autoCompleteLessonStatus: false,
    selfReportSessionTime: false,
    accumulateSessionTimeOnTerminate: false
  };

  var LEVEL_NAMES = { 1: "DEBUG", 2: "INFO", 3: "WARN", 4: "ERROR", 5: "NONE" };
  var ERROR_QUERY_KINDS = { GetLastError: true, GetErrorString: true, GetDiagnostic: true };

  var startedAt = performance.now();

  var lms = {
    version: null,
    api: null,
    log: [],
    runtimeMessages: [],
    kept: null,
    faults: [],
    events: [],
    gone: false,
    start: start,
    closeContent: closeContent,
    cmiValue: cmiValue,
    snapshot: snapshot,
    nested: nested,
    state: state
  };
  window.__lms = lms;
  window.__lmsLog = lms.log;

  function elapsed() {
    return Math.round((performance.now() - startedAt) * 10) / 10;
  }

  function plain(value) {
    if (value === null || value === undefined) return value === undefined ? null : value;
    var type = typeof value;
    return type === "string" || type === "number" || type === "boolean" ? value : String(value);
  }

  var readingForTheTest = false;

  function recordRuntimeMessage(level, message) {
    if (readingForTheTest) return;
    var name = LEVEL_NAMES[level] || String(level).toUpperCase();
    lms.runtimeMessages.push({ level: name, message: String(message), time: elapsed() });
  }

  // The flattened CMI data model, leaving out empty values and the empty containers
  // scorm-again renders for unused collections.
  function snapshot() {
    var flat = lms.api.getFlattenedCMI();
    var data = {};
    Object.keys(flat).forEach(function (key) {
      var value = flat[key];
      if (value !== null && typeof value !== "object" && String(value) !== "") {
        data[key] = String(value);
      }
    });
    return data;
  }

  // The whole data model as nested JSON, the form scorm-again sends to an LMS.
  function nested() {
    return lms.api.renderCMIToJSONObject();
  }

  function keep(terminated) {
    lms.kept = {
      data: snapshot(),
      commits: lms.kept.commits + 1,
      terminated: lms.kept.terminated || terminated
    };
  }

  function matchingFault(kind, args) {
    for (var i = 0; i < lms.faults.length; i++) {
      var fault = lms.faults[i];
      if (fault.kind !== kind || (fault.element && fault.element !== args[0])) continue;
      if ((fault.after || 0) > 0) {
        fault.after -= 1;
        continue;
      }
      if (fault.times !== undefined && fault.times !== null) {
        if (fault.times <= 0) continue;
        fault.times -= 1;
      }
      return fault;
    }
    return null;
  }

  function busyWait(ms) {
    var until = performance.now() + ms;
    while (performance.now() < until) { /* a synchronous LMS call that takes this long */ }
  }

  function wrap(api, spec) {
    var readLastError = api[spec.getLastError];
    Object.keys(spec.methods).forEach(function (name) {
      var original = api[name];
      var kind = spec.methods[name];
      api[name] = function () {
        var args = Array.prototype.slice.call(arguments);
        if (lms.gone) {
          lms.log.push({ index: lms.log.length, method: name, kind: kind, args: args.map(plain),
                         result: null, error: null, exception: "the LMS window is gone", time: elapsed(),
                         fault: true });
          throw new Error("the LMS window is gone");
        }
        var fault = kind in ERROR_QUERY_KINDS ? null : matchingFault(kind, args);
        if (fault && fault.vanish) {
          lms.gone = true;
          delete window[spec.global];
          return api[name].apply(api, args);
        }
        if (fault && (fault.error || fault.value !== undefined)) {
          var faulted = {
            index: lms.log.length, method: name, kind: kind, args: args.map(plain),
            result: fault.error ? (kind === "GetValue" ? "" : "false") : fault.value,
            error: fault.error || "0", exception: null, time: elapsed(), fault: true
          };
          lms.log.push(faulted);
          api.lastErrorCode = faulted.error;
          return faulted.result;
        }
        if (kind === "Commit") lms.events.push({ what: "commit-start", time: elapsed() });
        if (fault && fault.delayMs) busyWait(fault.delayMs);
        var call = {
          index: lms.log.length,
          method: name,
          kind: kind,
          args: args.map(plain),
          result: null,
          error: null,
          exception: null,
          time: elapsed()
        };
        lms.log.push(call);
        var result;
        try {
          result = original.apply(api, args);
        } catch (e) {
          call.exception = String((e && e.stack) || e);
          call.error = String(readLastError.call(api));
          throw e;
        }
        call.result = plain(result);
        call.error = String(readLastError.call(api));
        if (kind === "Commit") lms.events.push({ what: "commit-end", time: elapsed() });
        var stored = (kind === "Commit" || kind === "Terminate") && String(result) === "true";
        if (stored && call.error === "0") keep(kind === "Terminate");
        return result;
      };
    });
  }

  function openContent(src) {
    return new Promise(function (resolve) {
      var frame = document.createElement("iframe");
      frame.id = "content";
      frame.name = "sco";
      frame.title = "Course content";
      frame.addEventListener("load", function () { resolve(true); }, { once: true });
      frame.src = src;
      document.body.appendChild(frame);
    });
  }

  // Only the runtime of the launched version is loaded: scorm-again's files are large.
  function loadRuntime(spec) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.addEventListener("load", resolve, { once: true });
      script.addEventListener("error", function () {
        reject(new Error("could not load " + spec.script + ": run npm ci --prefix tests/js"));
      }, { once: true });
      script.src = spec.script;
      document.head.appendChild(script);
    });
  }

  /*
   * config: {version: "1.2"|"2004", data: {element: value}, settings: {...}, src: url}
   * Resolves once the content's first document has loaded.
   */
  function start(config) {
    var spec = VERSIONS[config.version];
    if (!spec) throw new Error("unknown SCORM version: " + config.version);
    if (lms.api) throw new Error("this LMS page has already launched content; load it afresh");
    return loadRuntime(spec).then(function () { return launch(spec, config); });
  }

  function launch(spec, config) {
    var settings = Object.assign({}, STRICT_SETTINGS, config.settings || {}, {
      onLogMessage: recordRuntimeMessage
    });
    var api = new window[spec.runtime](settings);
    var messagesBefore = lms.runtimeMessages.length;
    api.loadFromFlattenedJSON(config.data || {});
    var refused = lms.runtimeMessages.slice(messagesBefore).filter(function (m) {
      return m.level === "ERROR";
    });
    if (String(api.lastErrorCode) !== "0" || refused.length) {
      throw new Error("the runtime refused the launch data (error " + api.lastErrorCode + "): " +
        refused.map(function (m) { return m.message; }).join(" | "));
    }
    api.lastErrorCode = "0";
    lms.version = config.version;
    lms.api = api;
    lms.faults = (config.faults || []).map(function (f) { return Object.assign({}, f); });
    lms.kept = { data: null, commits: 0, terminated: false };
    lms.kept.data = snapshot();
    wrap(api, spec);
    window[spec.global] = api;
    return openContent(config.src);
  }

  // Removing the frame unloads the content as closing its tab would: the content's
  // pagehide and unload handlers run, and this page stays to tell what was stored.
  function closeContent() {
    var frame = document.getElementById("content");
    if (frame) frame.remove();
    return lms.log.length;
  }

  // Reads one element through the runtime's internal getter, not through the content's
  // API calls, and leaves the error state the content sees as it was.
  function cmiValue(element) {
    var api = lms.api;
    var saved = api.lastErrorCode;
    var value = "";
    var error = "0";
    api.lastErrorCode = "0";
    readingForTheTest = true;
    try {
      value = api.getCMIValue(element);
      error = String(api.lastErrorCode);
    } catch (e) {
      error = String((e && (e.errorCode || e.message)) || e);
    } finally {
      api.lastErrorCode = saved;
      readingForTheTest = false;
    }
    return { value: value === undefined || value === null ? "" : String(value), error: error };
  }

  function state() {
    return {
      version: lms.version,
      log: lms.log,
      runtimeMessages: lms.runtimeMessages,
      kept: lms.kept,
      events: lms.events,
      cmi: lms.api ? snapshot() : null
    };
  }
})();
