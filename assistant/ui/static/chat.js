() => {
  // A click on a citation marker opens its source card and brings it into view.
  document.addEventListener("click", (event) => {
    const marker = event.target.closest("a.ca-cite");
    if (!marker) return;
    event.preventDefault();
    event.stopPropagation();
    const card = document.getElementById(marker.dataset.card);
    if (!card) return;
    marker.blur();
    card.open = true;
    card.classList.add("ca-flash");
    setTimeout(() => card.classList.remove("ca-flash"), 1600);
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, true);
}
