/*
 * Quiz rules without any DOM: which questions an attempt asks and in what order, and whether an
 * answer is right. Everything an attempt shuffles follows from one 16-bit seed, so suspend_data
 * stores the seed instead of the orders and a resumed attempt looks exactly as it did.
 *
 * A question's type comes with its properties (builder/questions.py, in the embedded data): this
 * reads `scored`, `shuffled` and `judge`, never the type's name.
 *
 * Answers (the codec stores these, by the question's `codec`):
 *   one: option or scale label index   some: sorted option indices     true-false: boolean
 *   typed: {text, correct}             arrangement: matching: right item chosen for each left item (of
 *   equal right items, the first: the embedded course data's "rights" gives each left item's right
 *   one that way); ordering: the item (in authored order) at each position
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

  // Never show items already in order, nor matching choices lined up with their items.
  function scrambled(count, next) {
    var order = shuffled(range(count), next);
    if (count > 1 && isIdentity(order)) order.push(order.shift());
    return order;
  }

  function scored(question) {
    return question.scored;
  }

  // A drawn attempt of survey questions only would score 100% on nothing: when the quiz has a
  // scored question, the last one drawn makes way for one. Other draws stay exactly as they were.
  function withScored(quiz, asked, next) {
    if (asked.some(function (index) { return scored(quiz.questions[index]); })) return asked;
    var candidates = range(quiz.questions.length).filter(function (index) { return scored(quiz.questions[index]); });
    if (!candidates.length) return asked;
    asked[asked.length - 1] = candidates[Math.floor(next() * candidates.length)];
    return asked;
  }

  /*
   * The layout of one attempt: order = asked question indices in display order; options[q] =
   * display order of a choice question's options; rights[q] = order of a matching question's
   * choices; items[q] = starting order of an ordering question.
   */
  function plan(quiz, seed) {
    var next = random(seed);
    var all = range(quiz.questions.length);
    var asked = quiz.asked < all.length ? withScored(quiz, shuffled(all, next).slice(0, quiz.asked), next) : all;
    var order = quiz.shuffle ? shuffled(asked, next) : asked.slice().sort(function (a, b) { return a - b; });
    var layout = { order: order, options: {}, rights: {}, items: {} };
    quiz.questions.forEach(function (question, index) {
      var n = question.size;
      if (question.shuffled === "options") {
        layout.options[index] = quiz.shuffle && !question.pinned ? shuffled(range(n), next) : range(n);
      } else if (question.shuffled) {
        layout[question.shuffled][index] = scrambled(n, next);
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

  /* ---------- numbers as people type them ---------- */

  var MINUS_SIGNS = /[\u2212\u2012\u2013\u2014\ufe63\uff0d]/g;
  var SPACE_BETWEEN_GROUPS = /(\d)[ \u00a0\u2009\u202f](?=\d{3}(?!\d))/g;

  function decimalMark(language) {
    try {
      return new Intl.NumberFormat(language || undefined).format(1.5).indexOf(",") >= 0 ? "," : ".";
    } catch (e) {
      return ".";
    }
  }

  function count(text, character) {
    return text.split(character).length - 1;
  }

  // "1,000,000" with `mark` ","; a group mark needs whole groups of three digits after it.
  function grouped(text, mark) {
    return new RegExp("^\\d{1,3}(\\" + mark + "\\d{3})+$").test(text);
  }

  // Splits the digits and marks of a typed number into [whole, fraction], or null.
  function splitDigits(body, language) {
    var commas = count(body, ",");
    var dots = count(body, ".");
    if (commas && dots) {
      // Both marks: the last one is the decimal mark, the other groups thousands ("1,000.5", "1.000,5").
      var mark = body.lastIndexOf(",") > body.lastIndexOf(".") ? "," : ".";
      var at = body.lastIndexOf(mark);
      var whole = body.slice(0, at);
      if (whole.indexOf(mark) >= 0 || !grouped(whole, mark === "," ? "." : ",")) return null;
      return [whole.replace(/[.,]/g, ""), body.slice(at + 1)];
    }
    if (!commas && !dots) return [body, ""];
    var sign = commas ? "," : ".";
    if (commas + dots > 1) return grouped(body, sign) ? [body.split(sign).join(""), ""] : null;
    // One comma: a decimal comma ("21,5"), unless it groups thousands ("1,000") in a language that
    // writes decimals with a point. One point is always a decimal point, as the hint shows.
    if (sign === "," && grouped(body, ",") && decimalMark(language) === ".") return [body.replace(",", ""), ""];
    return body.split(sign);
  }

  /*
   * The number a learner typed, or null when it is not one. Accepts a decimal comma, thousands
   * grouped by commas, points or spaces, a typographic minus sign and an exponent; `language` (the
   * course's) decides whether "1,000" is a thousand or one.
   */
  function parseNumber(text, language) {
    var clean = String(text).trim().replace(MINUS_SIGNS, "-").replace(SPACE_BETWEEN_GROUPS, "$1");
    var match = /^([-+]?)([\d.,]*)(e[-+]?\d+)?$/i.exec(clean);
    if (!match) return null;
    var parts = splitDigits(match[2], language);
    if (!parts || !/^\d*$/.test(parts[0]) || !/^\d*$/.test(parts[1]) || parts[0] + parts[1] === "") return null;
    return Number(match[1] + (parts[0] || "0") + (parts[1] ? "." + parts[1] : "") + (match[3] || ""));
  }

  function fillInCorrect(question, text) {
    var given = normalText(text, question.caseSensitive);
    return question.answers.some(function (accepted) {
      return normalText(accepted, question.caseSensitive) === given;
    });
  }

  function numericCorrect(question, text, language) {
    var value = parseNumber(text, language);
    return value !== null && Math.abs(value - question.answer) <= question.tolerance + 1e-9;
  }

  // true / false for scored questions, null for a survey question (never right or wrong).
  function isCorrect(question, answer) {
    switch (question.judge) {
      case "correct-option":
        return question.correct.length === 1 && question.correct[0] === answer;
      case "correct-options":
        return sameList(answer.slice().sort(function (a, b) { return a - b; }), question.correct);
      case "answer":
        return answer === question.answer;
      case "typed":                 // judged as it was read (quiz-view.js), since the text may not be kept
        return answer.correct;
      case "rights":
        return sameList(answer, question.rights || range(question.size));
      case "order":
        return isIdentity(answer);
      default:
        return null;
    }
  }

  // How many of the attempt's scored questions were answered right: {right, total}.
  function tally(quiz, order, answers) {
    var total = 0;
    var right = 0;
    order.forEach(function (index) {
      var question = quiz.questions[index];
      if (!scored(question)) return;
      total++;
      if (answers[index] !== undefined && isCorrect(question, answers[index])) right++;
    });
    return { right: right, total: total };
  }

  // Whole percent, half up (2 of 3 is 67), in integers so that no float lands on x.4999. The
  // LMS gets this same number and judges it against the same pass mark as the player.
  function attemptScore(quiz, order, answers) {
    var counted = tally(quiz, order, answers);
    if (!counted.total) return 100;
    return Math.floor((200 * counted.right + counted.total) / (2 * counted.total));
  }

  CS.quiz = {
    plan: plan,
    newSeed: newSeed,
    isCorrect: isCorrect,
    fillInCorrect: fillInCorrect,
    numericCorrect: numericCorrect,
    parseNumber: parseNumber,
    attemptScore: attemptScore,
    tally: tally
  };
})(window.Coursesmith = window.Coursesmith || {});
