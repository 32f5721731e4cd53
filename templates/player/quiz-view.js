/*
 * One quiz step on screen: the build rendered every question with its options in authored order;
 * this shows the asked ones, puts questions and options in the attempt's order, reads answers,
 * shows feedback, the result, what to do next, and a review of the last finished attempt (kept in
 * the stored state, so it is there after a relaunch and in an LMS's review mode too).
 * Scoring rules are in quiz.js, storage in state.js, ordering by drag and keys in ordering.js.
 * Each question's `controls` (builder/questions.py, in the embedded data) says which controls the
 * page drew for it, and so how its answer is read, filled in and explained.
 *
 * Feedback follows the quiz's show_answers: "after_each" marks the learner's choice right or
 * wrong and shows the right answer after each question; "at_end" only records each answer and
 * shows all of it in the review; "never" says right or wrong, never what the right answer is.
 * Marks are words and symbols as well as colours.
 *
 * host (the player) provides: quizState(index), save(), message(name, slots), plural(...),
 * list(items), recordInteraction(...), whatNext(quizIndex, canRetry), go(step), finish(panel),
 * stepOfQuiz(quizIndex), readOnly (true in an LMS's review mode: shown, never changed).
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
      review: root.querySelector('[data-view="review"]'),
      results: root.querySelector('[data-view="results"]')
    };
    this.questionBlocks = all(root, ".question");
    this.status = root.querySelector('[data-role="quiz-status"]');
    this.layout = null;
    this.lastAnswerAt = Date.now();
    root.addEventListener("click", CS.guard(this.onClick.bind(this)));
    all(root, '[data-role="items"]').forEach(function (list) {
      CS.ordering.attach(list, this.announceMove.bind(this));
    }, this);
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
    this.root.classList.toggle("is-read-only", this.host.readOnly);
    show(this.root.querySelector('[data-action="start"]'), !this.host.readOnly);
    if (qs.attempt && qs.attempt === this.shownAttempt && !this.host.readOnly) {
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
    Object.keys(this.views).forEach(function (view) { show(this.views[view], view === name); }, this);
  };

  QuizView.prototype.onClick = function (event) {
    var target = event.target.closest("button");
    if (!target || !this.root.contains(target)) return;
    var action = target.getAttribute("data-action");
    var move = target.getAttribute("data-move");
    var host = this.host;
    if (action === "start" || action === "retry") this.start();
    else if (action === "check") this.check(target.closest(".question"));
    else if (action === "results") this.finishAttempt();
    else if (action === "review") this.review(0);
    else if (action === "review-previous") this.review(this.reviewing - 1);
    else if (action === "review-next") this.review(this.reviewing + 1);
    else if (action === "review-back") this.backToResults();
    else if (action === "continue") host.go(host.stepOfQuiz(this.index) + 1, { focus: true });
    else if (action === "finish") host.finish(true);
    else if (move && !target.disabled) CS.ordering.move(target.closest("[data-item]"), move, target);
  };

  /* ---------- an attempt ---------- */

  QuizView.prototype.start = function () {
    var qs = this.state();
    if (this.host.readOnly || qs.attempt || this.attemptsLeft() <= 0) return;
    qs.used += 1;
    qs.attempt = { seed: CS.quiz.newSeed(), answers: {} };
    qs.finished = null;                   // the state keeps one attempt: from now on, this one
    this.showQuestions(qs.attempt);
    this.host.save();
    this.focusQuestion(this.layout.order[0]);
  };

  QuizView.prototype.focusQuestion = function (questionIndex) {
    var block = this.block(questionIndex);
    var legend = block ? block.querySelector("legend") : null;
    if (!legend) return;
    legend.setAttribute("tabindex", "-1");
    legend.focus();
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
      self.prepare(block, questionIndex, position);
      var answer = attempt.answers[questionIndex];
      if (answer !== undefined) {
        self.fill(block, questionIndex, answer);
        self.lock(block, questionIndex, answer, { reveal: self.quiz.showAnswers === "after_each" });
      } else if (self.host.readOnly) {
        self.freeze(block);
      }
    });
    show(this.root.querySelector('[data-action="results"]'), !this.host.readOnly);
    this.status.textContent = "";
    this.lastAnswerAt = Date.now();
    this.showView("questions");
  };

  // A question as it starts: shown, numbered, in this attempt's order, nothing chosen.
  QuizView.prototype.prepare = function (block, questionIndex, position) {
    block.hidden = false;
    block.querySelector('[data-role="number"]').textContent =
      this.host.message("question-number", { number: position + 1, total: this.layout.order.length });
    this.arrange(block, questionIndex);
    this.reset(block);
  };

  // Puts options, matching choices and items to order in this attempt's order.
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
    if (items) CS.ordering.place(block.querySelector('[data-role="items"]'), items);
  };

  QuizView.prototype.reset = function (block) {
    all(block, "input, select, [data-move]").forEach(function (control) { control.disabled = false; });
    all(block, 'input[type="radio"], input[type="checkbox"]').forEach(function (input) { input.checked = false; });
    all(block, 'input[data-role="text"]').forEach(function (input) { input.value = ""; });
    all(block, "select").forEach(function (select) { select.value = ""; });
    all(block, '[data-role="feedback"] > *').forEach(function (part) { part.hidden = true; });
    all(block, ".option").forEach(function (option) { option.removeAttribute("data-mark"); });
    all(block, '[data-role="mark"]').forEach(function (mark) { mark.textContent = ""; });
    block.querySelector('[data-role="message"]').textContent = "";
    block.querySelector('[data-action="check"]').hidden = false;
    block.classList.remove("is-answered", "is-correct", "is-incorrect", "is-neutral", "is-saved");
    var list = block.querySelector('[data-role="items"]');
    if (list) CS.ordering.enable(list, true);
  };

  /* ---------- answers ---------- */

  // The learner's answer from the controls, or {problem: message name} when it is incomplete.
  QuizView.prototype.read = function (block, question) {
    var checked = all(block, "input:checked").map(function (input) { return input.value; });
    switch (question.controls) {
      case "options":
      case "scale":
        if (!checked.length) return { problem: "choose-first" };
        return question.codec === "some"
          ? checked.map(Number).sort(function (a, b) { return a - b; })
          : Number(checked[0]);
      case "true-false":
        return checked.length ? checked[0] === "true" : { problem: "choose-first" };
      case "text":
      case "number":
        var text = block.querySelector('input[data-role="text"]').value.trim();
        if (!text) return { problem: "type-first" };
        if (question.controls === "number") {
          var language = this.host.data.course.language;
          if (CS.quiz.parseNumber(text, language) === null) return { problem: "number-first" };
          return { text: text, correct: CS.quiz.numericCorrect(question, text, language) };
        }
        return { text: text, correct: CS.quiz.fillInCorrect(question, text) };
      case "pairs":
        var chosen = all(block, "select").map(function (select) { return select.value; });
        if (chosen.indexOf("") >= 0) return { problem: "match-first" };
        return chosen.map(Number);
      case "order":
        return CS.ordering.order(block.querySelector('[data-role="items"]'));
    }
    return { problem: "choose-first" };
  };

  // Shows a stored answer in the controls (after a resume, when the attempt is redrawn, in review).
  QuizView.prototype.fill = function (block, questionIndex, answer) {
    var question = this.quiz.questions[questionIndex];
    switch (question.controls) {
      case "options":
      case "scale":
      case "true-false":
        [].concat(answer).forEach(function (value) {
          var input = block.querySelector('input[value="' + String(value) + '"]');
          if (input) input.checked = true;
        });
        break;
      case "text":
      case "number":
        block.querySelector('input[data-role="text"]').value = answer.text === null ? "" : answer.text;
        break;
      case "pairs":
        all(block, "select").forEach(function (select, left) { select.value = String(answer[left]); });
        break;
      case "order":
        CS.ordering.place(block.querySelector('[data-role="items"]'), answer);
        break;
    }
  };

  QuizView.prototype.check = function (block) {
    var qs = this.state();
    if (this.host.readOnly || !qs.attempt || !block) return;
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
    var verdict = this.lock(block, questionIndex, answer, { reveal: this.quiz.showAnswers === "after_each" });
    var now = Date.now();
    var prompt = block.querySelector(".question-prompt").textContent;
    this.host.recordInteraction(question, answer, verdict, (now - this.lastAnswerAt) / 1000, prompt);
    this.lastAnswerAt = now;
    this.status.textContent = "";
    this.host.save();
    block.querySelector('[data-role="feedback"]').focus();
  };

  QuizView.prototype.freeze = function (block) {
    all(block, "input, select, [data-move]").forEach(function (control) { control.disabled = true; });
    block.querySelector('[data-action="check"]').hidden = true;
    var list = block.querySelector('[data-role="items"]');
    if (list) CS.ordering.enable(list, false);
  };

  /*
   * Freezes an answered question and shows what the quiz allows of its feedback. options.reveal:
   * show the right answer; options.review: the attempt is over (at_end shows everything then).
   * Returns correct|incorrect|neutral, the result the LMS is given.
   */
  QuizView.prototype.lock = function (block, questionIndex, answer, options) {
    var question = this.quiz.questions[questionIndex];
    var correct = CS.quiz.isCorrect(question, answer);
    var verdict = correct === null ? "neutral" : correct ? "correct" : "incorrect";
    var mode = this.quiz.showAnswers;
    var judged = verdict === "neutral" || mode !== "at_end" || options.review;
    var shown = judged ? verdict : "saved";
    this.freeze(block);
    block.classList.add("is-answered", "is-" + shown);
    var feedback = block.querySelector('[data-role="feedback"]');
    show(feedback.querySelector('[data-verdict="' + shown + '"]'), true);
    if (judged) {
      show(feedback.querySelector('[data-feedback="' + verdict + '"]'), true);
      var chosen = question.controls !== "options" ? [] : question.codec === "some" ? answer : [answer];
      chosen.forEach(function (optionIndex) {
        show(feedback.querySelector('[data-option-feedback="' + optionIndex + '"]'), true);
      });
    }
    this.markOptions(block, question, answer, judged ? (options.reveal ? "reveal" : "judge") : "chosen");
    if (judged && options.reveal && verdict === "incorrect") this.showRightAnswer(block, question);
    // Only a stored answer can have lost its text (too long to keep); a fresh one always has it.
    show(feedback.querySelector('[data-role="text-not-kept"]'), answer.text === null);
    return verdict;
  };

  // Each option the learner chose says so, and (when judged) whether it was right; "reveal"
  // also marks the right options they did not choose.
  QuizView.prototype.markOptions = function (block, question, answer, how) {
    var host = this.host;
    all(block, ".option").forEach(function (option) {
      var input = option.querySelector("input");
      var value = input.value;
      var isRight = question.controls === "true-false" ? String(question.answer) === value
        : question.correct ? question.correct.indexOf(Number(value)) >= 0 : false;
      var mark = "";
      if (input.checked) {
        mark = how === "chosen" || !question.scored ? "chosen"
          : isRight ? "chosen-correct" : "chosen-incorrect";
      } else if (how === "reveal" && isRight) {
        mark = "correct";
      }
      if (mark) option.setAttribute("data-mark", mark);
      else option.removeAttribute("data-mark");
      option.querySelector('[data-role="mark"]').textContent = mark ? host.message("mark-" + mark) : "";
    });
  };

  // The right answer in words, for the question types whose controls cannot show it.
  QuizView.prototype.showRightAnswer = function (block, question) {
    var host = this.host;
    var text = "";
    if (question.controls === "text") {
      text = host.message(question.answers.length > 1 ? "right-answers" : "right-answer",
        { answer: host.list(question.answers) });
    } else if (question.controls === "number") {
      text = host.message("right-answer", { answer: String(question.answer) });
    } else if (question.controls === "pairs") {
      var pairs = all(block, ".match-row").map(function (row, left) {
        var right = question.rights ? question.rights[left] : left;
        var option = row.querySelector('option[value="' + right + '"]');
        return row.querySelector("label").textContent + " – " + (option ? option.textContent : "");
      });
      text = host.message("right-answer", { answer: host.list(pairs) });
    } else if (question.controls === "order") {
      var items = CS.ordering.texts(block.querySelector('[data-role="items"]'));
      text = host.message("right-order", { answer: host.list(items.map(function (item, i) { return (i + 1) + ". " + item; })) });
    }
    var slot = block.querySelector('[data-role="right-answer"]');
    slot.textContent = text;
    show(slot, Boolean(text));
  };

  /* ---------- moving items ---------- */

  QuizView.prototype.announceMove = function (item, position, total) {
    var block = item.closest(".question");
    block.querySelector('[data-role="message"]').textContent = this.host.message("moved", {
      item: item.querySelector(".order-text").textContent,
      position: position,
      total: total
    });
  };

  /* ---------- results ---------- */

  QuizView.prototype.finishAttempt = function () {
    var qs = this.state();
    if (!qs.attempt || this.host.readOnly) return;
    var answers = qs.attempt.answers;
    var order = this.layout.order;
    var missing = order.filter(function (index) { return answers[index] === undefined; });
    if (missing.length) {
      var host = this.host;
      var names = missing.map(function (index) {
        return host.message("question-ref", { number: order.indexOf(index) + 1 });
      });
      this.status.textContent = host.plural("unanswered", missing.length, { list: host.list(names) });
      return;
    }
    var score = CS.quiz.attemptScore(this.quiz, order, answers);
    qs.last = score;
    qs.best = qs.best === null ? score : Math.max(qs.best, score);
    qs.finished = qs.attempt;
    qs.attempt = null;
    this.host.save();
    this.showResults();
    this.views.results.querySelector('[data-role="results-title"]').focus();
  };

  QuizView.prototype.showResults = function () {
    var qs = this.state();
    var host = this.host;
    var outcome = CS.completion.quizOutcome(this.quiz, qs);
    var results = this.views.results;
    all(results, '[data-slot="last"]').forEach(function (slot) { slot.textContent = String(qs.last); });
    all(results, '[data-slot="best"]').forEach(function (slot) { slot.textContent = String(qs.best); });
    var verdict = this.quiz.survey ? "survey"
      : outcome.passed ? "passed" : outcome.success === "failed" ? "failed" : "retry";
    all(results, "[data-verdict]").forEach(function (p) {
      p.hidden = p.getAttribute("data-verdict") !== verdict;
    });
    var done = qs.finished;
    var count = results.querySelector('[data-role="right-count"]');
    if (count) {
      var tally = done ? CS.quiz.tally(this.quiz, CS.quiz.plan(this.quiz, done.seed).order, done.answers) : null;
      count.textContent = tally ? host.message("right-count", tally) : "";
      show(count, Boolean(tally));
    }
    var left = this.attemptsLeft();
    var canRetry = left > 0 && !host.readOnly;
    var attemptsText = results.querySelector('[data-role="attempts-left"]');
    attemptsText.textContent = !canRetry || this.quiz.survey ? ""
      : left === Infinity ? host.message("attempts-unlimited") : host.message("attempts-left", { count: left });
    show(attemptsText, Boolean(attemptsText.textContent));

    var next = host.readOnly ? { text: "", action: "" } : host.whatNext(this.index, canRetry && !this.quiz.survey);
    var nextText = results.querySelector('[data-role="next-step"]');
    nextText.textContent = next.text;
    show(nextText, Boolean(next.text));
    var actions = {
      "continue": next.action === "continue",
      "finish": next.action === "finish",
      "retry": canRetry,
      "review": Boolean(done)
    };
    Object.keys(actions).forEach(function (name) {
      var button = results.querySelector('[data-action="' + name + '"]');
      show(button, actions[name]);
      button.classList.toggle("primary", name === (next.action || "retry"));
    });
    this.showView("results");
  };

  /* ---------- review of the last finished attempt, read-only ---------- */

  QuizView.prototype.review = function (position) {
    var done = this.state().finished;
    if (!done) return;
    this.layout = CS.quiz.plan(this.quiz, done.seed);
    var order = this.layout.order;
    position = Math.max(0, Math.min(order.length - 1, position));
    this.reviewing = position;
    var questionIndex = order[position];
    var block = this.block(questionIndex);
    var slot = this.views.review.querySelector('[data-role="review-slot"]');
    this.questionBlocks.forEach(function (other) { other.hidden = true; });
    slot.appendChild(block);
    this.prepare(block, questionIndex, position);
    this.fill(block, questionIndex, done.answers[questionIndex]);
    this.lock(block, questionIndex, done.answers[questionIndex],
      { review: true, reveal: this.quiz.showAnswers !== "never" });
    var review = this.views.review;
    review.querySelector('[data-action="review-previous"]').disabled = position === 0;
    review.querySelector('[data-action="review-next"]').disabled = position === order.length - 1;
    this.showView("review");
    var title = review.querySelector('[data-role="review-title"]');
    title.textContent = this.host.message("review-heading", { number: position + 1, total: order.length });
    title.focus();
  };

  QuizView.prototype.backToResults = function () {
    this.showResults();
    this.views.results.querySelector('[data-role="results-title"]').focus();
  };

  CS.QuizView = QuizView;
})(window.Coursesmith = window.Coursesmith || {});
