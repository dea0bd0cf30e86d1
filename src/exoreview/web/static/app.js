// exoreview's own script: selecting words of the abstract fills the "words" field of the add form,
// and the label list follows the chosen facet. Every form works without it.
document.addEventListener("DOMContentLoaded", () => {
  const abstract = document.getElementById("abstract");
  const words = document.getElementById("add-words");
  const facet = document.getElementById("add-facet");
  const value = document.getElementById("add-value");
  if (abstract && words) {
    const take = () => {
      const chosen = window.getSelection().toString().replace(/\s+/g, " ").trim();
      if (chosen.length >= 3) words.value = chosen;
    };
    abstract.addEventListener("mouseup", take);
    abstract.addEventListener("keyup", take);
    document.querySelector(".study-title")?.addEventListener("mouseup", take);
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
