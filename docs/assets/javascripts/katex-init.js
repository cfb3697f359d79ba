// Typeset math with the KaTeX bundled in this site (no network): arithmatex spans on the
// pages, and the Markdown cells of a notebook page (never its code, whose "$" is not math).
const KATEX_OPTIONS = {
  delimiters: [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ],
};

document$.subscribe(({ body }) => {
  const notebook = body.querySelector(".jupyter-wrapper");
  const roots = notebook ? notebook.querySelectorAll(".jp-MarkdownCell") : [body];
  for (const root of roots) renderMathInElement(root, KATEX_OPTIONS);
});
