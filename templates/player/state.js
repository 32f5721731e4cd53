/*
 * The suspend_data codec: the learner's whole state as one base64url string.
 *
 * SCORM 1.2 allows 4096 characters, so the state is a bit stream whose field widths come from
 * the course structure (the "codec" entry of the page's embedded course data), then base64url (6 bits a character, safe in any
 * LMS). builder/suspend_data.py mirrors these rules to compute the worst case at build time;
 * change both together.
 *
 *   codec version            4 bits    3 (2: no finished attempt kept; 1: also the 12-bit fingerprint
 *                                      of releases before release records; both still read)
 *   layout fingerprint      20 bits    which release layout the rest is written in
 *   pages seen               1 bit a page, in SCO order
 *   per quiz, in SCO order:
 *     attempts used          bitLength(attempts), or 8 bits (saturating) when unlimited
 *     best score + 1         7 bits    0 = no finished attempt
 *     last score + 1         7 bits
 *     attempt kept           2 bits    0 none, 1 in progress, 2 the last finished one (for its
 *                                      review after a relaunch); versions 1 and 2: 1 bit, 1 = in progress
 *     when one is kept:      seed 16 bits, then each asked question's answer in asked order, by
 *                            the question's `codec` (builder/questions.py; n = its size):
 *       one                  bitLength(n): 0 = unanswered, else option (or scale label) + 1
 *       true-false           2 bits: 0 unanswered, 1 false, 2 true
 *       some                 1 answered bit + n bits
 *       arrangement          1 answered bit + n * bitLength(n - 1): right item chosen per left item
 *                            (matching), item at each position (ordering)
 *       typed                2 bits: 0 unanswered, 1 correct, 2 incorrect; when answered and the
 *                            course keeps text (textBytes T > 0): bitLength(T) length + 8 bits a
 *                            UTF-8 byte (length 0 = the text was longer than T and is not kept)
 *
 * Releases: the state is always written in the current layout. The embedded data's "codec.earlier" holds
 * the layouts of earlier releases (builder/releases.py, from the course's releases.lock), so a
 * state written by one of them is read in its own layout and carried over by stable ids: pages by
 * tracking id, quizzes by their module's tracking id, answers by question id, an answer dropped
 * when its question's answer key changed. A state in a layout nobody recorded starts afresh.
 */
(function (CS) {
  "use strict";

  var CODEC_VERSION = 3;
  var FINGERPRINTED_CODEC_VERSION = 2;  // the first with 20-bit fingerprints; no finished attempt kept
  var LEGACY_CODEC_VERSION = 1;
  var FINGERPRINT_BITS = 20;
  var LEGACY_FINGERPRINT_BITS = 12;
  var SCORE_BITS = 7;
  var SEED_BITS = 16;
  var UNLIMITED_ATTEMPT_BITS = 8;
  var KEPT_BITS = 2;
  var KEPT = { none: 0, inProgress: 1, finished: 2 };
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  function bitLength(value) {
    var bits = 0;
    while (value > 0) {
      bits++;
      value = Math.floor(value / 2);
    }
    return bits;
  }

  function attemptBits(quiz) {
    return quiz.attempts > 0 ? bitLength(quiz.attempts) : UNLIMITED_ATTEMPT_BITS;
  }

  /* ---------- bits ---------- */

  function Writer() {
    this.bits = [];
  }
  Writer.prototype.put = function (value, width) {
    for (var i = width - 1; i >= 0; i--) this.bits.push(Math.floor(value / Math.pow(2, i)) % 2);
  };
  Writer.prototype.text = function () {
    var out = "";
    for (var i = 0; i < this.bits.length; i += 6) {
      var value = 0;
      for (var j = 0; j < 6; j++) value = value * 2 + (this.bits[i + j] || 0);
      out += ALPHABET.charAt(value);
    }
    return out;
  };

  function Reader(text) {
    this.bits = [];
    for (var i = 0; i < text.length; i++) {
      var value = ALPHABET.indexOf(text.charAt(i));
      if (value < 0) throw new Error("not base64url");
      for (var j = 5; j >= 0; j--) this.bits.push(Math.floor(value / Math.pow(2, j)) % 2);
    }
    this.at = 0;
  }
  Reader.prototype.take = function (width) {
    if (this.at + width > this.bits.length) throw new Error("suspend data too short");
    var value = 0;
    for (var i = 0; i < width; i++) value = value * 2 + this.bits[this.at++];
    return value;
  };

  /* ---------- UTF-8 without TextEncoder (kept for old LMS browsers) ---------- */

  // null for text that is not valid UTF-16 (a lone surrogate): such text is simply not kept.
  function utf8Bytes(text) {
    var encoded;
    try {
      encoded = unescape(encodeURIComponent(text));
    } catch (e) {
      return null;
    }
    var bytes = [];
    for (var i = 0; i < encoded.length; i++) bytes.push(encoded.charCodeAt(i));
    return bytes;
  }

  function utf8Text(bytes) {
    return decodeURIComponent(escape(String.fromCharCode.apply(null, bytes)));
  }

  /* ---------- answers ---------- */

  function sortedNumbers(list) {
    return list.slice().sort(function (a, b) { return a - b; });
  }

  function writeAnswer(w, question, answer, textBytes) {
    var n = question.size;
    var answered = answer !== undefined && answer !== null;
    switch (question.codec) {
      case "one":
        w.put(answered ? answer + 1 : 0, bitLength(n));
        return;
      case "true-false":
        w.put(answered ? (answer ? 2 : 1) : 0, 2);
        return;
      case "some":
        w.put(answered ? 1 : 0, 1);
        for (var i = 0; i < n; i++) w.put(answered && answer.indexOf(i) >= 0 ? 1 : 0, 1);
        return;
      case "arrangement":
        w.put(answered ? 1 : 0, 1);
        for (var k = 0; k < n; k++) w.put(answered ? answer[k] : 0, bitLength(n - 1));
        return;
      case "typed":
        w.put(answered ? (answer.correct ? 1 : 2) : 0, 2);
        if (!answered || textBytes <= 0) return;
        var bytes = answer.text === null ? null : utf8Bytes(answer.text);
        if (bytes === null || bytes.length > textBytes) bytes = [];
        w.put(bytes.length, bitLength(textBytes));
        for (var b = 0; b < bytes.length; b++) w.put(bytes[b], 8);
        return;
    }
    throw new Error("unknown answer codec " + question.codec);
  }

  function readAnswer(r, question, textBytes) {
    var n = question.size;
    var flag, list, i;
    switch (question.codec) {
      case "one":
        flag = r.take(bitLength(n));
        if (flag > n) throw new Error("option out of range");
        return flag ? flag - 1 : null;
      case "true-false":
        flag = r.take(2);
        return flag === 0 ? null : flag === 2;
      case "some":
        flag = r.take(1);
        list = [];
        for (i = 0; i < n; i++) if (r.take(1)) list.push(i);
        return flag ? list : null;
      case "arrangement":
        flag = r.take(1);
        list = [];
        for (i = 0; i < n; i++) {
          var value = r.take(bitLength(n - 1));
          if (value >= n) throw new Error("item out of range");
          list.push(value);
        }
        return flag ? list : null;
      case "typed":
        flag = r.take(2);
        if (flag === 0) return null;
        if (flag === 3) throw new Error("bad text answer state");
        var text = null;
        if (textBytes > 0) {
          var length = r.take(bitLength(textBytes));
          var bytes = [];
          for (i = 0; i < length; i++) bytes.push(r.take(8));
          text = length ? utf8Text(bytes) : null;
        }
        return { correct: flag === 1, text: text };
    }
    throw new Error("unknown answer codec " + question.codec);
  }

  /* ---------- the whole state ---------- */

  /*
   * state: {pagesSeen: [bool], quizzes: [{used, best, last, attempt, finished}]}; attempt (in
   * progress) and finished (the last finished attempt, for its review) are null or {seed, answers};
   * only one of them is stored, the attempt in progress first. answers are keyed by the question's
   * index in its quiz; `plan(quiz, seed).order` gives the asked questions in the order they are stored.
   */
  function freshState(structure) {
    var pages = [];
    for (var i = 0; i < structure.pages; i++) pages.push(false);
    return {
      pagesSeen: pages,
      quizzes: structure.quizzes.map(function () {
        return { used: 0, best: null, last: null, attempt: null, finished: null };
      })
    };
  }

  function encode(structure, state) {
    var w = new Writer();
    w.put(CODEC_VERSION, 4);
    w.put(structure.fingerprint, FINGERPRINT_BITS);
    for (var p = 0; p < structure.pages; p++) w.put(state.pagesSeen[p] ? 1 : 0, 1);
    structure.quizzes.forEach(function (quiz, qi) {
      var qs = state.quizzes[qi];
      var width = attemptBits(quiz);
      w.put(Math.min(qs.used, Math.pow(2, width) - 1), width);
      w.put(qs.best === null ? 0 : qs.best + 1, SCORE_BITS);
      w.put(qs.last === null ? 0 : qs.last + 1, SCORE_BITS);
      var kept = qs.attempt || qs.finished;
      w.put(qs.attempt ? KEPT.inProgress : kept ? KEPT.finished : KEPT.none, KEPT_BITS);
      if (!kept) return;
      w.put(kept.seed, SEED_BITS);
      CS.quiz.plan(quiz, kept.seed).order.forEach(function (index) {
        writeAnswer(w, quiz.questions[index], kept.answers[index], structure.textBytes);
      });
    });
    return w.text();
  }

  // The body of a state in `layout` (the current structure or an earlier release's layout),
  // written by codec `version`.
  function readBody(r, layout, version) {
    var keptBits = version === CODEC_VERSION ? KEPT_BITS : 1;
    var state = freshState(layout);
    for (var p = 0; p < layout.pages; p++) state.pagesSeen[p] = r.take(1) === 1;
    layout.quizzes.forEach(function (quiz, qi) {
      var qs = state.quizzes[qi];
      qs.used = r.take(attemptBits(quiz));
      var best = r.take(SCORE_BITS);
      var last = r.take(SCORE_BITS);
      if (best > 101 || last > 101) throw new Error("score out of range");
      qs.best = best ? best - 1 : null;
      qs.last = last ? last - 1 : null;
      var kept = r.take(keptBits);
      if (kept === KEPT.none) return;
      if (kept !== KEPT.inProgress && kept !== KEPT.finished) throw new Error("bad attempt kind");
      var seed = r.take(SEED_BITS);
      var answers = {};
      CS.quiz.plan(quiz, seed).order.forEach(function (index) {
        var answer = readAnswer(r, quiz.questions[index], layout.textBytes);
        if (answer !== null) answers[index] = answer;
      });
      if (kept === KEPT.inProgress) qs.attempt = { seed: seed, answers: answers };
      else qs.finished = { seed: seed, answers: answers };
    });
    // Whatever follows is padding to the last character: never more than 5 bits.
    if (r.bits.length - r.at > 5) throw new Error("suspend data too long");
    return state;
  }

  // An earlier release's layout (the embedded data's codec.earlier) in the shape readBody reads.
  function earlierLayout(recorded) {
    return {
      pages: recorded.pages.length,
      tracks: recorded.pages,
      quizzes: recorded.quizzes,
      textBytes: recorded.textBytes,
      fingerprint: recorded.fingerprint,
      release: recorded.release
    };
  }

  function findLayout(structure, version, fingerprint) {
    if (version === CODEC_VERSION || version === FINGERPRINTED_CODEC_VERSION) {
      if (fingerprint === structure.fingerprint) return structure;
      var earlier = structure.earlier || [];
      for (var i = 0; i < earlier.length; i++) {
        if (earlier[i].fingerprint === fingerprint) return earlierLayout(earlier[i]);
      }
      return null;
    }
    if (version === LEGACY_CODEC_VERSION && structure.legacyFingerprint === fingerprint) return structure;
    return null;
  }

  function sameQuestion(a, b) {
    return a.type === b.type && a.size === b.size && a.key === b.key;
  }

  function shortened(answer, question, textBytes) {
    if (question.codec !== "typed" || answer.text === null) return answer;
    var bytes = utf8Bytes(answer.text);
    if (textBytes > 0 && bytes !== null && bytes.length <= textBytes) return answer;
    return { correct: answer.correct, text: null };
  }

  // An attempt's answers by question id: {id: {question, answer}}.
  function answersById(attempt, quiz) {
    var given = {};
    Object.keys(attempt.answers).forEach(function (index) {
      var question = quiz.questions[index];
      given[question.id] = { question: question, answer: attempt.answers[index] };
    });
    return given;
  }

  // An attempt in progress in the new layout: every answer whose question is still asked and
  // unchanged; the others are counted in `changes`.
  function carriedAttempt(attempt, before, quiz, textBytes, changes) {
    var given = answersById(attempt, before);
    var answers = {};
    var used = {};
    CS.quiz.plan(quiz, attempt.seed).order.forEach(function (index) {
      var question = quiz.questions[index];
      var earlier = given[question.id];
      if (!earlier) return;
      used[question.id] = true;
      if (sameQuestion(earlier.question, question)) {
        answers[index] = shortened(earlier.answer, question, textBytes);
      } else {
        changes.answersReset.push(question.id);
      }
    });
    Object.keys(given).forEach(function (id) { if (!used[id]) changes.answersDropped++; });
    return { seed: attempt.seed, answers: answers };
  }

  // A finished attempt is kept for its review only when the new layout asks the very same
  // questions, unchanged, in the same order: a review must show what was marked.
  function carriedReview(attempt, before, quiz, textBytes) {
    var given = answersById(attempt, before);
    var oldOrder = CS.quiz.plan(before, attempt.seed).order;
    var order = CS.quiz.plan(quiz, attempt.seed).order;
    if (order.length !== oldOrder.length) return null;
    var answers = {};
    for (var i = 0; i < order.length; i++) {
      var question = quiz.questions[order[i]];
      var earlier = given[question.id];
      if (before.questions[oldOrder[i]].id !== question.id || !earlier) return null;
      if (!sameQuestion(earlier.question, question)) return null;
      answers[order[i]] = shortened(earlier.answer, question, textBytes);
    }
    return { seed: attempt.seed, answers: answers };
  }

  /*
   * A state read in an earlier layout, carried into the current one by stable ids. Returns the
   * state and what did not carry over: {pagesDropped, answersReset: [question ids whose answer
   * key changed], answersDropped (answers to questions removed or no longer asked), quizzesDropped}.
   */
  function migrate(old, oldState, structure) {
    var state = freshState(structure);
    var changes = { pagesDropped: 0, answersReset: [], answersDropped: 0, quizzesDropped: 0 };
    var tracks = structure.tracks || [];
    var newPage = {};
    tracks.forEach(function (track, index) { newPage[track] = index; });
    old.tracks.forEach(function (track, index) {
      if (!oldState.pagesSeen[index]) return;
      if (newPage.hasOwnProperty(track)) state.pagesSeen[newPage[track]] = true;
      else changes.pagesDropped++;
    });
    var oldQuiz = {};
    old.quizzes.forEach(function (quiz, index) { oldQuiz[quiz.track] = index; });
    var carried = {};
    structure.quizzes.forEach(function (quiz, qi) {
      if (!oldQuiz.hasOwnProperty(quiz.track)) return;
      var oi = oldQuiz[quiz.track];
      carried[oi] = true;
      var before = old.quizzes[oi];
      var was = oldState.quizzes[oi];
      var qs = state.quizzes[qi];
      qs.used = Math.min(was.used, Math.pow(2, attemptBits(quiz)) - 1);
      qs.best = was.best;
      qs.last = was.last;
      if (was.attempt) qs.attempt = carriedAttempt(was.attempt, before, quiz, structure.textBytes, changes);
      if (was.finished) qs.finished = carriedReview(was.finished, before, quiz, structure.textBytes);
    });
    old.quizzes.forEach(function (quiz, oi) {
      var was = oldState.quizzes[oi];
      if (!carried[oi] && (was.used || was.best !== null)) changes.quizzesDropped++;
    });
    return { state: state, changes: changes };
  }

  /*
   * The learner's state from a stored string: {state, release, changes, unreadable}.
   * state: null when nothing usable was stored; release: null for the current layout, else the
   * version whose layout it was written in; changes: what did not carry over (see migrate);
   * unreadable: something was stored but it is damaged or from a release nobody recorded.
   */
  function restore(structure, text) {
    var result = { state: null, release: null, changes: null, unreadable: false };
    if (!text) return result;
    try {
      var r = new Reader(String(text));
      var version = r.take(4);
      var fingerprint = r.take(version === LEGACY_CODEC_VERSION ? LEGACY_FINGERPRINT_BITS : FINGERPRINT_BITS);
      var layout = findLayout(structure, version, fingerprint);
      if (!layout) {
        result.unreadable = true;
        return result;
      }
      var state = readBody(r, layout, version);
      if (layout === structure) {
        result.state = state;
        return result;
      }
      var moved = migrate(layout, state, structure);
      result.state = moved.state;
      result.release = layout.release;
      result.changes = moved.changes;
      return result;
    } catch (e) {
      result.unreadable = true;
      return result;
    }
  }

  /*
   * The stored state, read late (the LMS would not give it at launch), with what the learner did
   * in this session meanwhile: pages seen in either count; a quiz keeps whichever side has used
   * more attempts, and the better best score of the two.
   */
  function merge(stored, session) {
    var state = {
      pagesSeen: stored.pagesSeen.map(function (seen, i) { return seen || session.pagesSeen[i]; }),
      quizzes: stored.quizzes.map(function (a, i) {
        var b = session.quizzes[i];
        var touched = b.used > 0 || b.best !== null || b.attempt;
        var chosen = !touched || a.used >= b.used ? a : b;
        var other = chosen === a ? b : a;
        var best = chosen.best === null ? other.best
          : other.best === null ? chosen.best : Math.max(chosen.best, other.best);
        return { used: chosen.used, best: best, last: chosen.last, attempt: chosen.attempt, finished: chosen.finished };
      })
    };
    return state;
  }

  // Returns null for anything that is not a state this course can read (damaged, unrecorded).
  function decode(structure, text) {
    return restore(structure, text).state;
  }

  /* ---------- the worst case, to check against builder/suspend_data.py ---------- */

  function answerBits(question, textBytes) {
    var n = question.size;
    switch (question.codec) {
      case "one":
        return bitLength(n);
      case "true-false":
        return 2;
      case "some":
        return 1 + n;
      case "arrangement":
        return 1 + n * bitLength(n - 1);
      default:
        return textBytes > 0 ? 2 + bitLength(textBytes) + 8 * textBytes : 2;
    }
  }

  function worstCaseLength(structure) {
    var bits = 4 + FINGERPRINT_BITS + structure.pages;
    structure.quizzes.forEach(function (quiz) {
      var widths = quiz.questions.map(function (q) { return answerBits(q, structure.textBytes); });
      widths = sortedNumbers(widths).reverse().slice(0, quiz.asked);
      bits += attemptBits(quiz) + 2 * SCORE_BITS + KEPT_BITS + SEED_BITS;
      widths.forEach(function (width) { bits += width; });
    });
    return Math.ceil(bits / 6);
  }

  CS.state = {
    fresh: freshState,
    encode: encode,
    decode: decode,
    restore: restore,
    merge: merge,
    worstCaseLength: worstCaseLength,
    utf8Length: function (text) {
      var bytes = utf8Bytes(text);
      return bytes === null ? Infinity : bytes.length;
    }
  };
})(window.Coursesmith = window.Coursesmith || {});
