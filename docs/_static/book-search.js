/* Search on search.html: ranked sections with a snippet, tolerant of typing mistakes.
 *
 * Data: searchdata.js (bookext/search.py), one record per section, and the synonyms of
 * docs/_data/search-synonyms.yml. Index: the vendored MiniSearch (BM25 ranking, prefix
 * and fuzzy matching), with Sphinx's English stemmer and stop words (language_data.js).
 * Everything is a <script>, so search works offline and from file://.
 *
 * A query first needs every word (exact, prefix, or within a small edit distance:
 * "baclofin", "intratecal"); when nothing has them all, any word will do. A word that is
 * a key of the synonyms ("ITB", "eGFR") also looks for its phrases.
 * window.bookSearch.search(query) is used by the browser tests and `make bench`.
 */
"use strict";
(() => {
  const data = window.BOOK_SEARCH_DATA || { sections: [], synonyms: {} };
  const stemmer = typeof Stemmer === "function" ? new Stemmer() : null;
  const stop = typeof stopwords !== "undefined" ? stopwords : new Set();
  const WORD = /[\p{L}\p{N}]+/gu;
  const MAX_RESULTS = 20;

  const fold = (word) =>
    word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const stems = new Map(); // the stemmer is the slow part of showing snippets: remember
  const processTerm = (word) => {
    let term = stems.get(word);
    if (term === undefined) {
      const folded = fold(word);
      term = stop.has(folded) ? null : stemmer ? stemmer.stemWord(folded) : folded;
      stems.set(word, term);
    }
    return term;
  };
  const vocabulary = new Set();

  const index = new MiniSearch({
    fields: ["title", "pageTitle", "text"],
    storeFields: ["page", "url", "anchor", "title", "pageTitle", "text"],
    processTerm: (word) => {
      const term = processTerm(word);
      if (term) vocabulary.add(term);
      return term;
    },
    searchOptions: {
      processTerm,
      boost: { title: 3, pageTitle: 1.5 },
      prefix: (term) => term.length > 3,
      // On stemmed terms: one typo in 4-9 letters, two from 10; none in short words.
      fuzzy: (term) => (term.length < 4 ? false : term.length < 10 ? 1 : 2),
      weights: { fuzzy: 0.3, prefix: 0.6 },
    },
  });
  const indexStart = performance.now();
  index.addAll(data.sections);
  const indexMs = performance.now() - indexStart;
  const synonyms = new Map(Object.entries(data.synonyms || {}));

  /** The query tree for one typed word: the word, or any of its synonyms. */
  const wordQuery = (word) => {
    const phrases = synonyms.get(fold(word));
    if (!phrases) return word;
    return {
      combineWith: "OR",
      queries: [word, ...phrases.map((p) => ({ combineWith: "AND", queries: [p] }))],
    };
  };

  const search = (query) => {
    const words = (query.match(WORD) || []).filter((w) => processTerm(w) || synonyms.has(fold(w)));
    if (!words.length) return { results: [], corrected: [], mode: "none" };
    const queries = words.map(wordQuery);
    let mode = "all words";
    let results = index.search({ combineWith: "AND", queries });
    if (!results.length && words.length > 1) {
      mode = "any word";
      results = index.search({ combineWith: "OR", queries });
    }
    const corrected = words.filter((w) => !synonyms.has(fold(w)) && !vocabulary.has(processTerm(w)));
    return { results: results.slice(0, MAX_RESULTS), corrected, mode };
  };

  // ---- display -------------------------------------------------------------------------
  const escape = (text) =>
    text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  /** About 220 characters around the first matched word, matched words in <mark>. */
  const snippet = (text, matched) => {
    const hits = [];
    for (const m of text.matchAll(WORD)) {
      const term = processTerm(m[0]);
      if (term && matched.has(term)) hits.push([m.index, m.index + m[0].length]);
    }
    const first = hits.length ? hits[0][0] : 0;
    const start = Math.max(0, text.lastIndexOf(" ", Math.max(0, first - 80)) + 1);
    const end = Math.min(text.length, start + 220);
    let html = start > 0 ? "… " : "";
    let at = start;
    for (const [from, to] of hits) {
      if (from < start || to > end) continue;
      html += escape(text.slice(at, from)) + "<mark>" + escape(text.slice(from, to)) + "</mark>";
      at = to;
    }
    html += escape(text.slice(at, end)) + (end < text.length ? " …" : "");
    return html;
  };

  const render = (query) => {
    const t0 = performance.now();
    const list = document.getElementById("book-search-results");
    const status = document.getElementById("book-search-status");
    const { results, corrected, mode } = search(query);
    const items = results.map((r) => {
      const matched = new Set(r.terms);
      const href = r.url + (r.anchor ? "#" + r.anchor : "");
      const heading = r.title === r.pageTitle
        ? `<span class="book-search-page">${escape(r.pageTitle)}</span>`
        : `<span class="book-search-page">${escape(r.pageTitle)}</span> › ` +
          `<span class="book-search-section">${escape(r.title)}</span>`;
      const text = r.text ? `<p class="book-search-snippet">${snippet(r.text, matched)}</p>` : "";
      return `<li data-page="${escape(r.page)}"><a href="${escape(href)}">${heading}</a>${text}</li>`;
    });
    list.innerHTML = items.join("");
    if (!query.trim()) status.textContent = "";
    else if (!results.length) status.textContent = `Nothing in the book matches “${query}”.`;
    else {
      const note = corrected.length
        ? ` Also shown: close spellings of ${corrected.map((w) => `“${w}”`).join(", ")}.`
        : mode === "any word" ? " No section has every word: sections with some of them." : "";
      status.textContent = `${results.length}${results.length === MAX_RESULTS ? "+" : ""} ` +
        `section${results.length === 1 ? "" : "s"} for “${query}”.${note}`;
    }
    const ms = performance.now() - t0;
    list.dataset.ms = ms.toFixed(2);
    list.dataset.query = query;
    return ms;
  };

  window.bookSearch = {
    search: (query) => search(query).results.map((r) => ({ page: r.page, anchor: r.anchor, title: r.title, score: r.score })),
    render,
    sectionCount: data.sections.length,
    indexMs,
  };

  const start = () => {
    const input = document.getElementById("book-search-input");
    if (!input) return;
    const query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    render(query);
    input.addEventListener("input", () => {
      render(input.value);
      const url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      try { window.history.replaceState(null, "", url); } catch (e) { /* file:// in some browsers */ }
    });
    document.documentElement.dataset.bookSearchReady = "true";
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
