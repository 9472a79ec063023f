// The pages the search box found, best first: their addresses without the #section.
() => [...new Set([...document.querySelectorAll(".md-search-result__item a")]
                  .map(link => link.origin + link.pathname))]
