// Give the search dialog an accessible name, and let keyboard users scroll the regions
// that scroll (wide or tall tables, notebook code).
document$.subscribe(() => {
  const search = document.querySelector(".md-search[role='dialog']");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  for (const region of document.querySelectorAll(".md-typeset__scrollwrap, .highlight-ipynb, .jupyter-wrapper pre")) {
    const scrolls = region.scrollWidth > region.clientWidth || region.scrollHeight > region.clientHeight;
    if (scrolls && !region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
    }
  }
});
