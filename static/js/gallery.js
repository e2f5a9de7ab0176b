// The full-screen photos are CSS (a `.lightbox` shown while it is the URL's #target); this
// adds the keys (arrows, Escape), keeps paging photos out of the history, and moves focus
// into the view and back to the photo it was opened from.
(() => {
  "use strict";
  const openView = () => document.querySelector(".lightbox:target");
  let opener = null;

  function closeView() {
    // Opened from the page: going back closes it and leaves no entry behind.
    if (opener) history.back();
    else location.replace("#gallery");
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".lightbox a, a[data-photo-link], a.gallery-all");
    if (!link) return;
    if (link.matches(".lightbox-close")) {
      event.preventDefault();
      closeView();
    } else if (link.closest(".lightbox")) {
      event.preventDefault();
      location.replace(link.hash);
    } else {
      opener = link;
    }
  });

  document.addEventListener("keydown", (event) => {
    const view = openView();
    if (!view || event.altKey || event.ctrlKey || event.metaKey) return;
    const selector = { ArrowLeft: ".lightbox-prev", ArrowRight: ".lightbox-next" }[event.key];
    if (event.key === "Escape") closeView();
    else if (selector && view.querySelector(selector)) location.replace(view.querySelector(selector).hash);
    else return;
    event.preventDefault();
  });

  window.addEventListener("hashchange", () => {
    const view = openView();
    if (view) view.querySelector(".lightbox-close").focus({ preventScroll: true });
    else if (opener) {
      opener.focus({ preventScroll: true });
      opener = null;
    }
  });
})();
