// The calendar as a date-range picker (WAI-ARIA grid: one tab stop, arrows, Home/End,
// PageUp/PageDown). Without this script the days are plain text and the form works alone.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var DAY = 864e5;
  var known = {}; // ISO date -> {free, end}, from every month seen: a range may span pages
  var pending = null; // the date or month button to focus once the next months arrive
  var focused = null;

  function iso(td) { return td.getAttribute("data-date") || td.getAttribute("data-day"); }
  function free(td) { return (td.getAttribute("data-available") || td.getAttribute("data-free")) === "true"; }
  function add(date, days) {
    var d = new Date(Date.parse(date + "T00:00:00Z") + days * DAY);
    return d.toISOString().slice(0, 10);
  }
  function between(a, b) { return Math.round((Date.parse(b) - Date.parse(a)) / DAY); }
  function $(sel, el) { return (el || document).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function calendar() { return document.getElementById("calendar"); }
  function field(name) { var f = document.getElementById("booking"); return f && f.elements[name]; }
  function cells() { return $$("#calendar td[data-date], #calendar td[data-day]"); }
  function cell(date) { return $('#calendar td[data-date="' + date + '"], #calendar td[data-day="' + date + '"]'); }
  function shown(td) { return td && td.offsetParent !== null; }
  function label(date) {
    var td = cell(date);
    var cap = td && document.getElementById(td.closest("table").getAttribute("aria-labelledby")).textContent;
    return td ? td.querySelector("time").textContent + " " + cap : date;
  }
  function minFrom(date) {
    var td = cell(date), cal = calendar();
    return +((td && td.getAttribute("data-min")) || cal.getAttribute("data-min-nights") || 1);
  }
  // The words come with the calendar, in the guest's language: data-say-*, with {slots}.
  function text(key, slots) {
    var s = calendar().getAttribute("data-say-" + key) || key;
    for (var k in slots || {}) s = s.split("{" + k + "}").join(slots[k]);
    return s;
  }

  function say(message) {
    var live = document.getElementById("picker-status");
    if (!live) {
      live = document.createElement("p");
      live.id = "picker-status";
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = message;
  }

  // Why a stay from `start` may not end on `end`, or "" when it may.
  function refusal(start, end) {
    var n = between(start, end), cal = calendar();
    for (var d = start; d < end; d = add(d, 1)) {
      if (known[d] && !known[d].free) return text("taken");
    }
    if (n < minFrom(start)) return text("min", { n: minFrom(start) });
    if (n > +cal.getAttribute("data-max-nights")) return text("max", { n: cal.getAttribute("data-max-nights") });
    return "";
  }
  function canStart(date) { var td = cell(date); return td && td.getAttribute("data-start") === "true"; }

  function dates() {
    var ci = field("check_in"), co = field("check_out");
    return { start: ci ? ci.value : "", end: co ? co.value : "" };
  }

  function paint() {
    var r = dates();
    cells().forEach(function (td) {
      var d = iso(td);
      var choosingEnd = r.start && !r.end && d > r.start;
      td.classList.toggle("start", d === r.start);
      td.classList.toggle("end", d === r.end);
      td.classList.toggle("in-range", !!(r.start && r.end && d > r.start && d < r.end));
      td.setAttribute("aria-selected", d === r.start || d === r.end ? "true" : "false");
      var refused = choosingEnd ? !!refusal(r.start, d) : !canStart(d);
      // Marked in words and struck through, not aria-disabled: activating it says why.
      var mark = td.querySelector(".no-end-text"), noEnd = !!(choosingEnd && refused);
      td.classList.toggle("no-end", noEnd);
      if (noEnd && !mark) {
        mark = document.createElement("span");
        mark.className = "visually-hidden no-end-text";
        mark.textContent = ", " + text("noend");
        td.appendChild(mark);
      } else if (!noEnd && mark) mark.remove();
    });
  }

  function set(name, value, announce) {
    var input = field(name);
    if (!input) return;
    input.value = value;
    if (announce) input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function choose(date) {
    var r = dates();
    if (r.start && !r.end && date > r.start) {
      var why = refusal(r.start, date);
      if (!why) {
        set("check_out", date, true); // the fieldset's hx-trigger="change" asks for the quote
        paint();
        say(text("chosen", { start: label(r.start), end: label(date) }));
        return;
      }
      // Too short a stay is refused; past a taken night, the day may begin a new one.
      if (why !== text("taken") || !canStart(date)) { say(why); return; }
    }
    if (!canStart(date)) { say(text("unavailable")); return; }
    set("check_in", date);
    set("check_out", "");
    paint();
    say(text("start", { date: label(date), n: minFrom(date) }));
  }

  function focusDate(date) {
    var td = cell(date);
    if (!shown(td)) {
      // Not on screen: page towards it, and focus it when the months arrive.
      var first = cells().filter(shown)[0];
      var nav = $('#calendar [data-month-nav="' + (first && date < iso(first) ? "previous" : "next") + '"]');
      if (!nav) return;
      pending = date;
      nav.click();
      return;
    }
    cells().forEach(function (c) { c.tabIndex = c === td ? 0 : -1; });
    focused = date;
    td.focus();
  }

  function clampMonth(date, months) {
    var y = +date.slice(0, 4), m = +date.slice(5, 7) - 1 + months, d = +date.slice(8, 10);
    var last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
  }

  function keydown(event) {
    var td = event.target.closest("td[data-date], td[data-day]");
    if (!td) return;
    // Days since the week began; data-first-weekday counts from Monday (0) as Python does.
    var first = (+calendar().getAttribute("data-first-weekday") + 1) % 7;
    var d = iso(td), to = null, wd = (new Date(d + "T00:00:00Z").getUTCDay() - first + 7) % 7;
    switch (event.key) {
      case "ArrowLeft": to = add(d, -1); break;
      case "ArrowRight": to = add(d, 1); break;
      case "ArrowUp": to = add(d, -7); break;
      case "ArrowDown": to = add(d, 7); break;
      case "Home": to = add(d, -wd); break;
      case "End": to = add(d, 6 - wd); break;
      case "PageUp": to = clampMonth(d, event.shiftKey ? -12 : -1); break;
      case "PageDown": to = clampMonth(d, event.shiftKey ? 12 : 1); break;
      case "Enter": case " ": event.preventDefault(); choose(d); return;
      default: return;
    }
    event.preventDefault();
    focusDate(to);
  }

  function setup() {
    var cal = calendar();
    if (!cal || cal.getAttribute("data-picker")) return;
    cal.setAttribute("data-picker", "on");
    $$(".month-button", cal).forEach(function (b) { b.remove(); });
    $$("table.month", cal).forEach(function (t) {
      t.setAttribute("role", "grid");
      $$("td", t).forEach(function (td) { td.setAttribute("role", "gridcell"); });
    });
    var all = cells();
    all.forEach(function (td) {
      known[iso(td)] = { free: free(td) };
      td.tabIndex = -1;
    });
    // One tab stop: the date focused before, else the check-in, else the first one a stay can start.
    var r = dates(), visible = all.filter(shown);
    var target = [pending, focused, r.start].map(cell).filter(shown)[0] ||
      visible.filter(function (td) { return td.getAttribute("data-start") === "true"; })[0] || visible[0];
    if (target) target.tabIndex = 0;
    paint();
    if (pending && typeof pending === "string") {
      var date = pending;
      pending = null;
      focusDate(date); // pages on while the date is not on screen yet
      return;
    } else if (pending && pending.nav) {
      var nav = $('#calendar [data-month-nav="' + pending.nav + '"]');
      if (nav) nav.focus();
    }
    pending = null;
  }

  document.addEventListener("click", function (event) {
    var td = event.target.closest && event.target.closest("#calendar td[data-date], #calendar td[data-day]");
    if (td) { focusDate(iso(td)); choose(iso(td)); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.target.closest && event.target.closest("#calendar")) keydown(event);
  });
  document.addEventListener("focusin", function (event) {
    var td = event.target.closest && event.target.closest("#calendar td[data-date], #calendar td[data-day]");
    if (td) focused = iso(td);
  });
  // A month link that had focus hands it to its successor after the swap.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var nav = event.target.getAttribute && event.target.getAttribute("data-month-nav");
    if (nav && document.activeElement === event.target && !pending) pending = { nav: nav };
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "check_in" || event.target.name === "check_out") paint();
  });
  document.addEventListener("htmx:afterSettle", setup);
  document.addEventListener("DOMContentLoaded", setup);
}());
