// Give the search dialog an accessible name.
document$.subscribe(() => {
  const search = document.querySelector(".md-search[role='dialog']");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
});
