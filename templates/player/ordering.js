/*
 * An ordering question's list: numbered positions, moves by button (up, down, to the top) and
 * by dragging with a mouse, pen or finger. Every finished move is announced through the
 * question's live region (the callback given to attach) with the item's new position.
 *
 * Touch: only the handle has touch-action: none, so a finger on the text still scrolls the
 * page; the browser then cancels the pointer and the drag ends where it is.
 */
(function (CS) {
  "use strict";

  function items(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[data-item]"));
  }

  function number(list) {
    items(list).forEach(function (item, i) {
      item.querySelector('[data-role="order-number"]').textContent = String(i + 1);
    });
  }

  // The items (by authored index) in `order`, top to bottom.
  function place(list, order) {
    order.forEach(function (itemIndex) {
      list.appendChild(list.querySelector('[data-item="' + itemIndex + '"]'));
    });
    number(list);
  }

  function order(list) {
    return items(list).map(function (item) { return Number(item.getAttribute("data-item")); });
  }

  // The item texts in the authored (right) order.
  function texts(list) {
    return items(list).sort(function (a, b) {
      return Number(a.getAttribute("data-item")) - Number(b.getAttribute("data-item"));
    }).map(function (item) { return item.querySelector(".order-text").textContent; });
  }

  function announce(list, item) {
    number(list);
    var all = items(list);
    if (list.announce) list.announce(item, all.indexOf(item) + 1, all.length);
  }

  // direction: up | down | top. `button` keeps the focus (it moves with its item).
  function move(item, direction, button) {
    var list = item.parentNode;
    if (direction === "top") {
      list.insertBefore(item, list.firstElementChild);
    } else {
      var sibling = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
      if (sibling) list.insertBefore(item, direction === "up" ? sibling : sibling.nextElementSibling);
    }
    if (button) button.focus();
    announce(list, item);
  }

  function enable(list, enabled) {
    list.classList.toggle("is-sortable", enabled);
  }

  // Where a dragged item goes: before the first other item whose middle is below the pointer.
  function dropBefore(list, dragged, y) {
    var others = items(list).filter(function (item) { return item !== dragged; });
    for (var i = 0; i < others.length; i++) {
      var box = others[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) return others[i];
    }
    return null;
  }

  function attach(list, onMove) {
    list.announce = onMove;
    var dragging = null;
    var started = null;

    function end() {
      if (!dragging) return;
      var item = dragging;
      dragging.classList.remove("is-dragging");
      list.classList.remove("is-dragging");
      dragging = null;
      if (order(list).join() !== started) announce(list, item);
    }

    list.addEventListener("pointerdown", CS.guard(function (event) {
      var item = event.target.closest("[data-item]");
      if (!item || !list.classList.contains("is-sortable") || event.target.closest("button")) return;
      if (event.pointerType === "touch" && !event.target.closest('[data-role="handle"]')) return;
      if (event.button !== undefined && event.button > 0) return;
      event.preventDefault();               // no text selection while dragging
      dragging = item;
      started = order(list).join();
      item.classList.add("is-dragging");
      list.classList.add("is-dragging");
      try {
        list.setPointerCapture(event.pointerId);     // the list: moving the item would drop its capture
      } catch (e) {
        // A synthetic pointer cannot be captured; the list's own events still follow it.
      }
    }));
    list.addEventListener("pointermove", CS.guard(function (event) {
      if (!dragging) return;
      var before = dropBefore(list, dragging, event.clientY);
      if (before !== dragging.nextElementSibling) {
        list.insertBefore(dragging, before);
        number(list);
      }
    }));
    list.addEventListener("pointerup", CS.guard(end));
    list.addEventListener("pointercancel", CS.guard(end));
    list.addEventListener("lostpointercapture", CS.guard(end));
    number(list);
    enable(list, true);
  }

  CS.ordering = { attach: attach, place: place, order: order, texts: texts, move: move, enable: enable };
})(window.Coursesmith = window.Coursesmith || {});
