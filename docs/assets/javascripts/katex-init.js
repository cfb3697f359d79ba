// Typeset math with the KaTeX bundled in this site (no network): arithmatex spans on the
// pages, and on a notebook page its Markdown cells and the sentences its %%prose cells
// show (never its code, whose "$" is not math).
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
  const text = ".jp-MarkdownCell, .celltag_prose .jp-OutputArea";
  const roots = notebook ? notebook.querySelectorAll(text) : [body];
  for (const root of roots) renderMathInElement(root, KATEX_OPTIONS);
});
