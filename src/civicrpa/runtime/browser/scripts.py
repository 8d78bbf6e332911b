"""JavaScript the robots run in the page, one round trip each.

Kept apart from the Python that calls it so each script can be read whole. Every script takes
one argument (Playwright passes it as JSON) and returns plain JSON.
"""

from __future__ import annotations

#: Fill a whole form by its labels in one round trip. For each ``label -> value``: the control
#: the ``<label>`` (or an ``aria-label``) names is set through the native value setter (so a
#: framework's own value tracking sees the change), ``input`` and ``change`` are fired, and the
#: value the control then holds is read back for the caller to verify. A ``<select>`` is set by
#: its option's visible text (or, failing that, its value); a checkbox by ``true``/``false``.
#: A value longer than the field's ``maxlength`` is refused, as typing it would cut it.
#: With ``onlyWhenReady`` it touches nothing and returns ``null`` unless the form is ready as
#: Playwright's own actions wait for it: the scope on the page, every label naming a control
#: that is enabled and (text fields) editable, and each ``<select>`` holding the wanted option.
#: A label naming several controls counts as ready: waiting would not make it one.
FILL_FORM = """
([values, scope, onlyWhenReady]) => {
  const root = scope ? document.querySelector(scope) : document;
  if (!root) { return onlyWhenReady ? null : {scopeMissing: true}; }
  const norm = (s) => (s || "").replace(/\\s+/g, " ").trim();
  const byLabel = new Map();
  const add = (name, control) => {
    if (!byLabel.has(name)) { byLabel.set(name, []); }
    byLabel.get(name).push(control);
  };
  for (const label of root.querySelectorAll("label")) {
    if (label.control) { add(norm(label.textContent), label.control); }
  }
  for (const el of root.querySelectorAll("input[aria-label], select[aria-label], textarea[aria-label]")) {
    add(norm(el.getAttribute("aria-label")), el);
  }
  const optionFor = (control, wanted) => {
    const options = Array.from(control.options);
    return options.find((o) => norm(o.textContent) === wanted)
      || options.find((o) => o.value === wanted);
  };
  const usable = (name, wanted) => {
    const found = byLabel.get(name) || [];
    if (found.length === 0) { return false; }
    if (new Set(found).size > 1) { return true; }
    const control = found[0];
    if (control.matches(":disabled") || control.readOnly) { return false; }
    return control.tagName !== "SELECT" || optionFor(control, wanted) !== undefined;
  };
  if (onlyWhenReady && !Object.entries(values).every(([name, wanted]) => usable(name, wanted))) {
    return null;
  }
  const missing = [], ambiguous = [], noOption = [], tooLong = [], values_read = {};
  for (const [name, wanted] of Object.entries(values)) {
    const found = byLabel.get(name) || [];
    if (found.length === 0) { missing.push(name); continue; }
    if (new Set(found).size > 1) { ambiguous.push(name); continue; }
    const control = found[0];
    if (control.tagName === "SELECT") {
      const option = optionFor(control, wanted);
      if (!option) { noOption.push(name); continue; }
      control.value = option.value;
    } else if (control.type === "checkbox" || control.type === "radio") {
      control.checked = wanted === true || wanted === "true";
    } else if (control.maxLength > 0 && String(wanted).length > control.maxLength) {
      tooLong.push(name); continue;  // a person could not type it: the field would cut it
    } else {
      const proto = control.tagName === "TEXTAREA"
        ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, "value").set.call(control, String(wanted));
    }
    control.dispatchEvent(new Event("input", {bubbles: true}));
    control.dispatchEvent(new Event("change", {bubbles: true}));
    if (control.tagName === "SELECT") {
      const chosen = control.selectedOptions[0];
      values_read[name] = chosen && (norm(chosen.textContent) === wanted || chosen.value === wanted)
        ? wanted : (chosen ? norm(chosen.textContent) : "");
    } else if (control.type === "checkbox" || control.type === "radio") {
      values_read[name] = control.checked;
    } else {
      values_read[name] = control.value;
    }
  }
  return {scopeMissing: false, missing, ambiguous, noOption, tooLong, values: values_read};
}
"""

#: Tables by their ``aria-label``, several in one round trip: ``{name: answer}`` where an answer
#: is ``{"found": n}`` plus, when ``n == 1``, ``{"header": [...], "rows": [[...], ...]}`` for a
#: table with a ``<thead>`` or ``{"pairs": {th: td}}`` for one laid out as ``th``/``td`` rows
#: (detail screens showing one record).
READ_TABLES = """
(names) => {
  const norm = (s) => (s || "").replace(/\\s+/g, " ").trim();
  const read = (name) => {
    const tables = Array.from(document.querySelectorAll("table"))
      .filter((t) => norm(t.getAttribute("aria-label")) === name);
    if (tables.length !== 1) { return {found: tables.length}; }
    const table = tables[0];
    if (table.tHead) {
      const header = Array.from(table.tHead.rows[0].cells).map((c) => norm(c.textContent));
      const rows = [];
      for (const body of table.tBodies) {
        for (const row of body.rows) { rows.push(Array.from(row.cells).map((c) => norm(c.textContent))); }
      }
      return {found: 1, header, rows};
    }
    const pairs = {};
    for (const row of table.rows) {
      const th = row.querySelector("th"), td = row.querySelector("td");
      if (th && td) { pairs[norm(th.textContent)] = norm(td.textContent); }
    }
    return {found: 1, pairs};
  };
  const answers = {};
  for (const name of names) { answers[name] = read(name); }
  return answers;
}
"""

#: Mark every element whose text (or whose input value) holds a run of ten or more digits
#: (half- or full-width, separated by hyphens, dots or spaces: resident numbers, phones,
#: accounts) or an e-mail address, so the screenshot paints it over. Dates (8 digits) and
#: amounts with commas stay visible. Returns how many elements were marked.
MARK_PERSONAL = """
() => {
  const run = /[0-9\\uFF10-\\uFF19](?:[\\s.\\-]?[0-9\\uFF10-\\uFF19]){9,}/;
  const email = /[^\\s@]+@[^\\s@]+\\.[^\\s@]+/;
  const personal = (text) => run.test(text || "") || email.test(text || "");
  let marked = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && personal(node.nodeValue)) {
      node.parentElement.setAttribute("data-civicrpa-mask", "");
      marked += 1;
    }
  }
  for (const el of document.querySelectorAll("input, textarea")) {
    if (personal(el.value)) { el.setAttribute("data-civicrpa-mask", ""); marked += 1; }
  }
  return marked;
}
"""

__all__ = ["FILL_FORM", "MARK_PERSONAL", "READ_TABLES"]
