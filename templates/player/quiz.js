/*
 * Quiz rules without any DOM: which questions an attempt asks and in what order, and whether an
 * answer is right. Everything an attempt shuffles follows from one 16-bit seed, so suspend_data
 * stores the seed instead of the orders and a resumed attempt looks exactly as it did.
 *
 * Answers (the codec stores these):
 *   single, likert: option index      multiple: sorted option indices     true-false: boolean
 *   fill-in, numeric: {text, correct} matching: right item chosen for each left item
 *   ordering: the item (in authored order) at each position
 */
(function (CS) {
  "use strict";

  // mulberry32: small, fast, and the same sequence in every browser.
  function random(seed) {
    var state = (seed >>> 0) + 0x9e3779b9;
    return function () {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function range(count) {
    var list = [];
    for (var i = 0; i < count; i++) list.push(i);
    return list;
  }

  function shuffled(list, next) {
    var copy = list.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(next() * (i + 1));
      var keep = copy[i];
      copy[i] = copy[j];
      copy[j] = keep;
    }
    return copy;
  }

  function isIdentity(list) {
    for (var i = 0; i < list.length; i++) if (list[i] !== i) return false;
    return true;
  }

  // Never show ordering items already in order, nor matching choices lined up with their items.
  function scrambled(count, next) {
    var order = shuffled(range(count), next);
    if (count > 1 && isIdentity(order)) order.push(order.shift());
    return order;
  }

  /*
   * The layout of one attempt: order = asked question indices in display order; options[q] =
   * display order of a choice question's options; rights[q] = order of a matching question's
   * choices; items[q] = starting order of an ordering question.
   */
  function plan(quiz, seed) {
    var next = random(seed);
    var all = range(quiz.questions.length);
    var asked = quiz.asked < all.length ? shuffled(all, next).slice(0, quiz.asked) : all;
    var order = quiz.shuffle ? shuffled(asked, next) : asked.slice().sort(function (a, b) { return a - b; });
    var layout = { order: order, options: {}, rights: {}, items: {} };
    quiz.questions.forEach(function (question, index) {
      var n = question.size;
      if (question.type === "single" || question.type === "multiple") {
        layout.options[index] = quiz.shuffle ? shuffled(range(n), next) : range(n);
      } else if (question.type === "matching") {
        layout.rights[index] = scrambled(n, next);
      } else if (question.type === "ordering") {
        layout.items[index] = scrambled(n, next);
      }
    });
    return layout;
  }

  function newSeed() {
    try {
      var values = new Uint16Array(1);
      window.crypto.getRandomValues(values);
      return values[0];
    } catch (e) {
      return Math.floor(Math.random() * 65536);
    }
  }

  function normalText(text, caseSensitive) {
    var clean = String(text).normalize ? String(text).normalize("NFC") : String(text);
    clean = clean.replace(/\s+/g, " ").trim();
    return caseSensitive ? clean : clean.toLowerCase();
  }

  function sameList(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // A number typed with a decimal comma is still the number the learner meant.
  function parseNumber(text) {
    var clean = String(text).trim().replace(",", ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(clean)) return null;
    return Number(clean);
  }

  function fillInCorrect(question, text) {
    var given = normalText(text, question.caseSensitive);
    return question.answers.some(function (accepted) {
      return normalText(accepted, question.caseSensitive) === given;
    });
  }

  function numericCorrect(question, text) {
    var value = parseNumber(text);
    return value !== null && Math.abs(value - question.answer) <= question.tolerance + 1e-9;
  }

  // true / false for scored questions, null for likert (a survey: never right or wrong).
  function isCorrect(question, answer) {
    switch (question.type) {
      case "single":
        return question.correct.length === 1 && question.correct[0] === answer;
      case "multiple":
        return sameList(answer.slice().sort(function (a, b) { return a - b; }), question.correct);
      case "true-false":
        return answer === question.answer;
      case "fill-in":
      case "numeric":
        return answer.correct;
      case "matching":
      case "ordering":
        return isIdentity(answer);
      default:
        return null;
    }
  }

  // Whole percent, rounded down so that a score never reaches a pass mark it did not earn.
  function attemptScore(quiz, order, answers) {
    var scored = 0;
    var right = 0;
    order.forEach(function (index) {
      var question = quiz.questions[index];
      if (question.type === "likert") return;
      scored++;
      if (answers[index] !== undefined && isCorrect(question, answers[index])) right++;
    });
    return scored ? Math.floor((100 * right) / scored) : 100;
  }

  CS.quiz = {
    plan: plan,
    newSeed: newSeed,
    isCorrect: isCorrect,
    fillInCorrect: fillInCorrect,
    numericCorrect: numericCorrect,
    parseNumber: parseNumber,
    attemptScore: attemptScore
  };
})(window.Coursesmith = window.Coursesmith || {});
