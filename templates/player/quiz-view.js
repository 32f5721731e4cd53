/*
 * One quiz step on screen: the build rendered every question with its options in authored order;
 * this shows the asked ones, puts questions and options in the attempt's order, reads answers,
 * shows feedback and the result. Scoring rules are in quiz.js, storage in state.js.
 *
 * host (the player) provides: quizState(index), save(), message(name, slots),
 * recordInteraction(question, answer, result, latencySeconds, prompt), refresh().
 */
(function (CS) {
  "use strict";

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function show(element, visible) {
    if (element) element.hidden = !visible;
  }

  function QuizView(root, quiz, index, host) {
    this.root = root;
    this.quiz = quiz;
    this.index = index;
    this.host = host;
    this.views = {
      intro: root.querySelector('[data-view="intro"]'),
      questions: root.querySelector('[data-view="questions"]'),
      results: root.querySelector('[data-view="results"]')
    };
    this.questionBlocks = all(root, ".question");
    this.status = root.querySelector('[data-role="quiz-status"]');
    this.resultsButton = root.querySelector('[data-action="results"]');
    this.layout = null;
    this.lastAnswerAt = Date.now();
    root.addEventListener("click", CS.guard(this.onClick.bind(this)));
  }

  QuizView.prototype.state = function () {
    return this.host.quizState(this.index);
  };

  QuizView.prototype.block = function (questionIndex) {
    return this.questionBlocks[questionIndex];
  };

  QuizView.prototype.attemptsLeft = function () {
    var qs = this.state();
    return this.quiz.attempts > 0 ? Math.max(0, this.quiz.attempts - qs.used) : Infinity;
  };

  /* ---------- which view ---------- */

  // Called whenever the step is shown or the state changed under it (e.g. a resume).
  QuizView.prototype.render = function () {
    var qs = this.state();
    if (qs.attempt && qs.attempt === this.shownAttempt) {
      this.showView("questions");          // as the learner left it, half-typed answers included
    } else if (qs.attempt) {
      this.showQuestions(qs.attempt);
    } else if (qs.last !== null) {
      this.showResults();
    } else {
      this.showView("intro");
    }
  };

  QuizView.prototype.showView = function (name) {
    show(this.views.intro, name === "intro");
    show(this.views.questions, name === "questions");
    show(this.views.results, name === "results");
  };

  QuizView.prototype.onClick = function (event) {
    var target = event.target.closest("button");
    if (!target || !this.root.contains(target)) return;
    var action = target.getAttribute("data-action");
    var move = target.getAttribute("data-move");
    if (action === "start" || action === "retry") this.start();
    else if (action === "check") this.check(target.closest(".question"));
    else if (action === "results") this.finishAttempt();
    else if (move) this.move(target, move);
  };

  /* ---------- an attempt ---------- */

  QuizView.prototype.start = function () {
    var qs = this.state();
    if (qs.attempt || this.attemptsLeft() <= 0) return;
    qs.used += 1;
    qs.attempt = { seed: CS.quiz.newSeed(), answers: {} };
    this.showQuestions(qs.attempt);
    this.host.save();
    var first = this.block(this.layout.order[0]);
    var focusTarget = first ? first.querySelector("legend") : null;
    if (focusTarget) {
      focusTarget.setAttribute("tabindex", "-1");
      focusTarget.focus();
    }
  };

  QuizView.prototype.showQuestions = function (attempt) {
    var self = this;
    this.layout = CS.quiz.plan(this.quiz, attempt.seed);
    this.shownAttempt = attempt;
    var container = this.views.questions;
    this.questionBlocks.forEach(function (block) { block.hidden = true; });
    this.layout.order.forEach(function (questionIndex, position) {
      var block = self.block(questionIndex);
      container.insertBefore(block, self.status);
      block.hidden = false;
      block.querySelector('[data-role="number"]').textContent =
        self.host.message("question-number", { number: position + 1, total: self.layout.order.length });
      self.arrange(block, questionIndex);
      self.reset(block);
      var answer = attempt.answers[questionIndex];
      if (answer !== undefined) {
        self.fill(block, questionIndex, answer);
        self.lock(block, questionIndex, answer, false);
      }
    });
    this.status.textContent = "";
    this.lastAnswerAt = Date.now();
    this.showView("questions");
  };

  // Puts options, matching choices and ordering items in this attempt's order.
  QuizView.prototype.arrange = function (block, questionIndex) {
    var options = this.layout.options[questionIndex];
    if (options) {
      var list = block.querySelector('[data-role="options"]');
      options.forEach(function (optionIndex) {
        list.appendChild(list.querySelector('[data-option="' + optionIndex + '"]'));
      });
    }
    var rights = this.layout.rights[questionIndex];
    if (rights) {
      all(block, "select").forEach(function (select) {
        rights.forEach(function (rightIndex) {
          var option = select.querySelector('option[value="' + rightIndex + '"]');
          if (option) select.appendChild(option);       // a repeated right item is offered once
        });
      });
    }
    var items = this.layout.items[questionIndex];
    if (items) this.placeItems(block, items);
  };

  QuizView.prototype.placeItems = function (block, order) {
    var list = block.querySelector('[data-role="items"]');
    order.forEach(function (itemIndex) {
      list.appendChild(list.querySelector('[data-item="' + itemIndex + '"]'));
    });
  };

  QuizView.prototype.reset = function (block) {
    all(block, "input, select, [data-move]").forEach(function (control) { control.disabled = false; });
    all(block, 'input[type="radio"], input[type="checkbox"]').forEach(function (input) { input.checked = false; });
    all(block, 'input[data-role="text"]').forEach(function (input) { input.value = ""; });
    all(block, "select").forEach(function (select) { select.value = ""; });
    all(block, '[data-role="feedback"] > *').forEach(function (part) { part.hidden = true; });
    block.querySelector('[data-role="message"]').textContent = "";
    block.querySelector('[data-action="check"]').hidden = false;
    block.classList.remove("is-answered", "is-correct", "is-incorrect");
  };

  /* ---------- answers ---------- */

  // The learner's answer from the controls, or {problem: message name} when it is incomplete.
  QuizView.prototype.read = function (block, question) {
    var checked = all(block, "input:checked").map(function (input) { return input.value; });
    switch (question.type) {
      case "single":
      case "likert":
        return checked.length ? Number(checked[0]) : { problem: "choose-first" };
      case "true-false":
        return checked.length ? checked[0] === "true" : { problem: "choose-first" };
      case "multiple":
        return checked.length
          ? checked.map(Number).sort(function (a, b) { return a - b; })
          : { problem: "choose-first" };
      case "fill-in":
      case "numeric":
        var text = block.querySelector('input[data-role="text"]').value.trim();
        if (!text) return { problem: "type-first" };
        if (question.type === "numeric") {
          var language = this.host.data.course.language;
          if (CS.quiz.parseNumber(text, language) === null) return { problem: "number-first" };
          return { text: text, correct: CS.quiz.numericCorrect(question, text, language) };
        }
        return { text: text, correct: CS.quiz.fillInCorrect(question, text) };
      case "matching":
        var chosen = all(block, "select").map(function (select) { return select.value; });
        if (chosen.indexOf("") >= 0) return { problem: "match-first" };
        return chosen.map(Number);
      case "ordering":
        return all(block, "[data-item]").map(function (item) { return Number(item.getAttribute("data-item")); });
    }
    return { problem: "choose-first" };
  };

  // Shows a stored answer in the controls (after a resume, or when the attempt is redrawn).
  QuizView.prototype.fill = function (block, questionIndex, answer) {
    var question = this.quiz.questions[questionIndex];
    switch (question.type) {
      case "single":
      case "likert":
      case "true-false":
        var input = block.querySelector('input[value="' + String(answer) + '"]');
        if (input) input.checked = true;
        break;
      case "multiple":
        answer.forEach(function (optionIndex) {
          block.querySelector('input[value="' + optionIndex + '"]').checked = true;
        });
        break;
      case "fill-in":
      case "numeric":
        block.querySelector('input[data-role="text"]').value = answer.text === null ? "" : answer.text;
        break;
      case "matching":
        all(block, "select").forEach(function (select, left) { select.value = String(answer[left]); });
        break;
      case "ordering":
        this.placeItems(block, answer);
        break;
    }
  };

  QuizView.prototype.check = function (block) {
    var qs = this.state();
    if (!qs.attempt || !block) return;
    var questionIndex = Number(block.getAttribute("data-question"));
    if (qs.attempt.answers[questionIndex] !== undefined) return;
    var question = this.quiz.questions[questionIndex];
    var answer = this.read(block, question);
    var message = block.querySelector('[data-role="message"]');
    if (answer && answer.problem) {
      message.textContent = this.host.message(answer.problem);
      return;
    }
    message.textContent = "";
    qs.attempt.answers[questionIndex] = answer;
    var verdict = this.lock(block, questionIndex, answer, true);
    var now = Date.now();
    var prompt = block.querySelector(".question-prompt").textContent;
    this.host.recordInteraction(question, answer, verdict, (now - this.lastAnswerAt) / 1000, prompt);
    this.lastAnswerAt = now;
    this.status.textContent = "";
    this.host.save();
    block.querySelector('[data-role="feedback"]').focus();
  };

  // Freezes an answered question and reveals its feedback. Returns correct|incorrect|neutral.
  QuizView.prototype.lock = function (block, questionIndex, answer, fresh) {
    var question = this.quiz.questions[questionIndex];
    var correct = CS.quiz.isCorrect(question, answer);
    var verdict = correct === null ? "neutral" : correct ? "correct" : "incorrect";
    all(block, "input, select, [data-move]").forEach(function (control) { control.disabled = true; });
    block.querySelector('[data-action="check"]').hidden = true;
    block.classList.add("is-answered", "is-" + verdict);
    var feedback = block.querySelector('[data-role="feedback"]');
    show(feedback.querySelector('[data-verdict="' + verdict + '"]'), true);
    show(feedback.querySelector('[data-feedback="' + verdict + '"]'), true);
    var chosen = question.type === "single" ? [answer] : question.type === "multiple" ? answer : [];
    chosen.forEach(function (optionIndex) {
      show(feedback.querySelector('[data-option-feedback="' + optionIndex + '"]'), true);
    });
    var textLost = !fresh && answer && answer.text === null;
    show(feedback.querySelector('[data-role="text-not-kept"]'), textLost);
    return verdict;
  };

  /* ---------- ordering ---------- */

  QuizView.prototype.move = function (button, direction) {
    var item = button.closest("[data-item]");
    var list = item.parentNode;
    var sibling = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
    if (sibling) list.insertBefore(item, direction === "up" ? sibling : sibling.nextElementSibling);
    button.focus();
    var items = all(list, "[data-item]");
    var block = button.closest(".question");
    block.querySelector('[data-role="message"]').textContent = this.host.message("moved", {
      item: item.querySelector(".order-text").textContent,
      position: items.indexOf(item) + 1,
      total: items.length
    });
  };

  /* ---------- results ---------- */

  QuizView.prototype.finishAttempt = function () {
    var qs = this.state();
    if (!qs.attempt) return;
    var answers = qs.attempt.answers;
    var missing = this.layout.order.filter(function (index) { return answers[index] === undefined; });
    if (missing.length) {
      this.status.textContent = this.host.message("unanswered", { count: missing.length });
      return;
    }
    var score = CS.quiz.attemptScore(this.quiz, this.layout.order, answers);
    qs.last = score;
    qs.best = qs.best === null ? score : Math.max(qs.best, score);
    qs.attempt = null;
    this.showResults();
    this.host.save();
    this.views.results.querySelector('[data-role="results-title"]').focus();
  };

  QuizView.prototype.showResults = function () {
    var qs = this.state();
    var outcome = CS.completion.quizOutcome(this.quiz, qs);
    var results = this.views.results;
    all(results, '[data-slot="last"]').forEach(function (slot) { slot.textContent = String(qs.last); });
    all(results, '[data-slot="best"]').forEach(function (slot) { slot.textContent = String(qs.best); });
    var verdict = this.quiz.survey ? "survey"
      : outcome.passed ? "passed" : outcome.success === "failed" ? "failed" : "retry";
    all(results, "[data-verdict]").forEach(function (p) {
      p.hidden = p.getAttribute("data-verdict") !== verdict;
    });
    var left = this.attemptsLeft();
    var attemptsText = results.querySelector('[data-role="attempts-left"]');
    attemptsText.textContent = left === Infinity ? this.host.message("attempts-unlimited")
      : left > 0 ? this.host.message("attempts-left", { count: left }) : "";
    show(attemptsText, left > 0);
    show(results.querySelector('[data-action="retry"]'), left > 0);
    this.showView("results");
  };

  CS.QuizView = QuizView;
})(window.Coursesmith = window.Coursesmith || {});
