// exoreview's own script: selecting words of the abstract fills the "words" field of the add form,
// and the label list follows the chosen facet. Every form works without it.
document.addEventListener("DOMContentLoaded", () => {
  const abstract = document.getElementById("abstract");
  const words = document.getElementById("add-words");
  const facet = document.getElementById("add-facet");
  const value = document.getElementById("add-value");
  const field = document.getElementById("add-field");
  if (abstract && words) {
    const take = (where) => () => {
      const chosen = window.getSelection().toString().replace(/\s+/g, " ").trim();
      if (chosen.length < 3) return;
      words.value = chosen;
      if (field) field.value = where;  // the same words may stand in the title too: keep the sentence chosen
    };
    abstract.addEventListener("mouseup", take("abstract"));
    abstract.addEventListener("keyup", take("abstract"));
    document.querySelector(".study-title")?.addEventListener("mouseup", take("title"));
  }
  if (facet && value) {
    const follow = () => {
      let first = null;
      for (const group of value.querySelectorAll("optgroup")) {
        const shown = group.dataset.facet === facet.value;
        group.hidden = !shown;
        group.disabled = !shown;
        if (shown && !first) first = group.querySelector("option");
      }
      if (first && value.selectedOptions[0]?.parentElement.dataset.facet !== facet.value) value.value = first.value;
    };
    facet.addEventListener("change", follow);
    follow();
  }
});

// Screening keys: i include, e exclude (the reason list takes focus; the reason's number or Enter then
// excludes), m maybe, u undo, n note (Escape leaves the note, which is saved with the next decision).
// Keys typed into a field belong to the field. Without this script the buttons do the same.
document.addEventListener("DOMContentLoaded", () => {
  const decide = document.getElementById("decide");
  const undo = document.getElementById("undo");
  if (!decide && !undo) return;
  const reason = document.getElementById("reason");
  const note = document.getElementById("note");
  let sent = false;  // one decision per page: a key held down or pressed twice must not decide the next record
  const send = (form, button) => {
    if (sent || !form) return;
    sent = true;
    form.requestSubmit(button);
  };
  const decideAs = (label) => send(decide, decide?.querySelector(`button[value="${label}"]`));
  const excludeWithReason = (key) => {
    if (/^[1-9]$/.test(key)) {
      const option = reason.options[Number(key)];  // option 0 is "(choose when excluding)"
      if (!option) return false;
      reason.value = option.value;
    } else if (key !== "Enter" || !reason.value) {
      return false;
    }
    decideAs("exclude");
    return true;
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (reason && target === reason) {
      if (excludeWithReason(event.key)) event.preventDefault();
      else if (event.key === "Escape") reason.blur();
      return;
    }
    if (target instanceof Element && target.closest("input, textarea, select")) {
      if (event.key === "Escape") target.blur();
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "u") send(undo, undo?.querySelector("button"));
    else if (!decide) return;
    else if (key === "i") decideAs("include");
    else if (key === "m") decideAs("maybe");
    else if (key === "e" && reason && reason.options.length > 1) reason.focus();
    else if (key === "e") decideAs("exclude");
    else if (key === "n" && note) note.focus();
    else return;
    event.preventDefault();
  });
});

// Live dashboard: every few seconds the page is asked for again and each part marked data-live is
// swapped for its new version (the PRISMA boxes, everyone's progress, label checks and conflicts),
// unless the person is using a control inside it. Without this script a reload does the same.
document.addEventListener("DOMContentLoaded", () => {
  if (!document.querySelector("[data-live]")) return;
  const seconds = 5;
  const refresh = async () => {
    if (document.hidden) return;
    const answer = await fetch(location.href, {credentials: "same-origin"});
    if (!answer.ok || answer.redirected) return;  // logged out meanwhile: leave the page as it is
    const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
    for (const part of document.querySelectorAll("[data-live]")) {
      const next = fresh.getElementById(part.id);
      if (next && !part.contains(document.activeElement) && next.innerHTML !== part.innerHTML) {
        part.replaceWith(document.importNode(next, true));
      }
    }
    document.body.dataset.liveAt = String(Date.now());
  };
  setInterval(() => { refresh().catch(() => {}); }, seconds * 1000);
});
