// The deal funnel: cards dragged between stage columns. A drop asks the server to move the deal
// (the stage rules live there); the answer is the whole board, so a refused move snaps back.
import Sortable from "sortablejs";

function moveDeal(card, column) {
  const board = card.closest("[data-board]");
  window.htmx.ajax("POST", card.dataset.moveUrl, {
    source: card,
    target: board,
    swap: "outerHTML",
    values: { stage: column.dataset.stage, board: "1" },
  });
}

export function startBoards(root) {
  for (const column of root.querySelectorAll("[data-stage-cards]")) {
    if (column.sortable) continue;
    column.sortable = Sortable.create(column, {
      group: "deals",
      draggable: "[data-deal]",
      animation: 150,
      ghostClass: "deal-card-ghost",
      onEnd(event) {
        if (event.from !== event.to) moveDeal(event.item, event.to);
      },
    });
  }
}

// A dialog the server sends open (e.g. "why was it lost?") is shown as a modal.
export function showServerDialogs(root) {
  for (const dialog of root.querySelectorAll("dialog[data-show-modal]:not([open])")) {
    dialog.showModal();
  }
}
