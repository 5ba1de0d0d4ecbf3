/* Reference popover: a citation number shows its reference in place.
 *
 * Mouse: hover shows it. Keyboard: focus shows it; Tab moves into its links.
 * Touch or click: a tap opens it (the page does not move and the URL does not
 * change); a second tap, the close button, Escape or a tap outside closes it.
 * The text is the page's own reference list entry, cloned (authors, title,
 * journal, year, DOI and PubMed links). Screen readers get the entry without
 * opening anything: each number is described by its entry (aria-describedby).
 * Without this script the number is an ordinary link to the list.
 */
(() => {
  "use strict";
  let current = null;        // {group, pop, sticky}
  let timer = 0;

  const entryFor = (link) => {
    const id = decodeURIComponent((link.hash || "").slice(1));
    const entry = id && document.getElementById(id);
    return entry && entry.classList.contains("citation") ? entry : null;
  };
  const markers = (group) => [...group.querySelectorAll("a.reference.internal")];

  function build(group, entries) {
    const pop = document.createElement("span");
    pop.className = "cite-popover";
    pop.id = `${group.id}-popover`;
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", entries.length > 1 ? "References" : "Reference");
    pop.hidden = true;
    for (const entry of entries) {
      const item = document.createElement("span");
      item.className = "cite-popover-entry";
      const number = document.createElement("span");
      number.className = "cite-popover-number";
      number.textContent = `${entry.querySelector(".label")?.textContent.replace(/[[\]]/g, "")}. `;
      item.append(number);
      for (const node of entry.querySelector("p")?.childNodes || []) item.append(node.cloneNode(true));
      const inList = document.createElement("a");
      inList.href = `#${entry.id}`;
      inList.className = "cite-popover-list-link";
      inList.textContent = "In the reference list";
      item.append(" ", inList);
      pop.append(item);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "cite-popover-close";
    close.setAttribute("aria-label", "Close reference");
    close.textContent = "×";
    close.addEventListener("click", (event) => { event.stopPropagation(); hide(true); });
    pop.prepend(close);
    group.append(pop);
    return pop;
  }

  function show(group, sticky) {
    clearTimeout(timer);
    if (current && current.group !== group) hide(false);
    const pop = group.querySelector(":scope > .cite-popover");
    if (!pop) return;
    pop.hidden = false;
    current = { group, pop, sticky: sticky || (current && current.sticky && current.group === group) };
    for (const link of markers(group)) link.setAttribute("aria-expanded", "true");
    place(pop);
  }

  function hide(returnFocus) {
    clearTimeout(timer);
    if (!current) return;
    const { group, pop } = current;
    const hadFocus = pop.contains(document.activeElement);
    pop.hidden = true;
    for (const link of markers(group)) link.setAttribute("aria-expanded", "false");
    current = null;
    if (returnFocus || hadFocus) markers(group).find((a) => a.offsetParent)?.focus();
  }

  function place(pop) {
    // Below the number; moved left when it would cross the right edge of the screen.
    pop.style.left = "0px";
    const box = pop.getBoundingClientRect();
    const room = document.documentElement.clientWidth - 8;
    let shift = Math.min(0, room - box.right);
    if (box.left + shift < 8) shift = 8 - box.left;
    pop.style.left = `${shift}px`;
  }

  function setUp(group) {
    const links = markers(group);
    const entries = [...new Set(links.map(entryFor))].filter(Boolean);
    if (!entries.length || !group.id) return;  // the list is on another page: a plain link
    const pop = build(group, entries);
    for (const link of links) {
      const own = entryFor(link);
      if (own) link.setAttribute("aria-describedby", own.id);
      link.setAttribute("aria-haspopup", "dialog");
      link.setAttribute("aria-controls", pop.id);
      link.setAttribute("aria-expanded", "false");
      link.addEventListener("click", (event) => {
        event.preventDefault();
        if (current && current.group === group && current.sticky) hide(false);
        else show(group, true);
      });
    }
    group.addEventListener("pointerenter", (event) => {
      if (event.pointerType !== "mouse") return;
      clearTimeout(timer);
      timer = setTimeout(() => show(group, false), 150);
    });
    group.addEventListener("pointerleave", (event) => {
      if (event.pointerType !== "mouse" || !current || current.group !== group || current.sticky) return;
      clearTimeout(timer);
      timer = setTimeout(() => hide(false), 300);
    });
    group.addEventListener("focusin", (event) => {
      if (links.includes(event.target) && event.target.matches(":focus-visible")) show(group, false);
    });
    group.addEventListener("focusout", (event) => {
      if (current && current.group === group && !group.contains(event.relatedTarget)) hide(false);
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) hide(current.pop.contains(document.activeElement));
  });
  document.addEventListener("click", (event) => {
    if (current && !current.group.contains(event.target)) hide(false);
  });
  const start = () => document.querySelectorAll("span.bibtex-citation").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
