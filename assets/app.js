// Klientela's front-end entry: htmx for partial updates, Alpine (CSP build) for small widgets,
// toasts, dialogs and a few delegated behaviours. No inline scripts: the CSP forbids them.
import htmx from "htmx.org";
import Alpine from "@alpinejs/csp";
import { showServerDialogs, startBoards } from "./kanban.js";

window.htmx = htmx;
window.Alpine = Alpine;

// --- Toasts: Django messages on page load, and HX-Trigger {"toast": [...]} from HTMX answers ---

const TOAST_SECONDS = { success: 5, info: 5, warning: 8, error: 10 };

function toastRegion() {
  return document.getElementById("toasts");
}

function scheduleHide(toast) {
  const level = toast.dataset.level || "info";
  const hide = () => closeToast(toast);
  let timer = setTimeout(hide, (TOAST_SECONDS[level] || 6) * 1000);
  // Keep it while the pointer or focus is on it, so it can be read and closed.
  toast.addEventListener("mouseenter", () => clearTimeout(timer));
  toast.addEventListener("focusin", () => clearTimeout(timer));
  toast.addEventListener("mouseleave", () => {
    timer = setTimeout(hide, 3000);
  });
}

function closeToast(toast) {
  toast.classList.add("is-leaving");
  setTimeout(() => toast.remove(), 200);
}

export function showToast(message, level = "success") {
  const region = toastRegion();
  if (!region || !message) return;
  const template = document.getElementById("toast-template");
  const toast = template.content.firstElementChild.cloneNode(true);
  toast.classList.add(`toast-${level}`);
  toast.dataset.level = level;
  if (level === "error") toast.setAttribute("role", "alert");
  toast.querySelector(".toast-text").textContent = message;
  region.append(toast);
  scheduleHide(toast);
}

function announceServerMessages() {
  // Messages rendered with the page are re-added so screen readers announce them.
  const region = toastRegion();
  if (!region) return;
  const rendered = [...region.querySelectorAll("[data-toast]")];
  rendered.forEach((toast) => toast.remove());
  setTimeout(() => {
    rendered.forEach((toast) => {
      const text = toast.querySelector(".toast-text");
      showToast(text ? text.textContent.trim() : "", toast.dataset.level || "info");
    });
  }, 150);
}

document.addEventListener("toast", (event) => {
  const items = Array.isArray(event.detail) ? event.detail : event.detail?.value || [event.detail];
  for (const item of items) {
    if (item && item.message) showToast(item.message, item.level || "success");
  }
});

document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const messages = document.body.dataset;
  const text =
    status === 403 ? messages.forbiddenMessage : status === 404 ? messages.notFoundMessage : messages.errorMessage;
  showToast(text || `Error ${status}`, "error");
});

document.addEventListener("htmx:sendError", () => {
  showToast(document.body.dataset.offlineMessage || "The server cannot be reached.", "error");
});

// Lists keep their state in the address; leave out empty filters so it stays readable.
document.addEventListener("htmx:configRequest", (event) => {
  const { elt, verb, formData } = event.detail;
  if (verb !== "get" || !elt.closest(".filter-bar, .list-results")) return;
  const names = new Set(formData.keys());
  for (const name of names) {
    if (formData.getAll(name).every((value) => value === "")) formData.delete(name);
  }
});

// After a form comes back with errors, put the cursor in the first field to fix.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const root = target && target.isConnected ? target : document;
  const invalid = root.querySelector?.("[aria-invalid='true']");
  if (invalid) invalid.focus();
});

// --- Delegated behaviours: closing toasts, dialogs, moving columns, confirming posts --------

document.addEventListener("click", (event) => {
  const closer = event.target.closest("[data-toast-close]");
  if (closer) {
    closeToast(closer.closest(".toast"));
    return;
  }
  const opener = event.target.closest("[data-open-dialog]");
  if (opener) {
    const dialog = document.getElementById(opener.dataset.openDialog);
    if (dialog) {
      // A link that opens a dialog keeps its address for opening in a new tab, not for a click.
      event.preventDefault();
      dialog.showModal();
    }
    return;
  }
  const dialogCloser = event.target.closest("[data-close-dialog]");
  if (dialogCloser) {
    dialogCloser.closest("dialog")?.close();
    return;
  }
  const mover = event.target.closest("[data-move]");
  if (mover) {
    const item = mover.closest("[data-movable]");
    if (mover.dataset.move === "up" && item.previousElementSibling) {
      item.parentElement.insertBefore(item, item.previousElementSibling);
    } else if (mover.dataset.move === "down" && item.nextElementSibling) {
      item.parentElement.insertBefore(item.nextElementSibling, item);
    }
    mover.focus();
  }
});

// Drop-downs made of <details data-popover> close on a click elsewhere or on Escape.
function closePopovers(except) {
  for (const popover of document.querySelectorAll("details[data-popover][open]")) {
    if (!popover.contains(except)) popover.removeAttribute("open");
  }
}
document.addEventListener("click", (event) => closePopovers(event.target));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closePopovers(null);
});

// A click on the backdrop of a dialog closes it.
document.addEventListener("click", (event) => {
  if (event.target instanceof HTMLDialogElement) event.target.close();
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// --- Alpine components (the CSP build only calls what is registered here) ------------------

Alpine.data("shell", () => ({
  drawerOpen: false,
  get drawerClass() {
    return this.drawerOpen ? "is-open" : "";
  },
  openDrawer() {
    this.drawerOpen = true;
    this.$nextTick(() => this.$root.querySelector(".sidebar .menu-link, .sidebar-close")?.focus());
  },
  closeDrawer() {
    if (!this.drawerOpen) return;
    this.drawerOpen = false;
    this.$root.querySelector(".menu-toggle")?.focus();
  },
}));

Alpine.data("dropdown", () => ({
  isOpen: false,
  toggle() {
    this.isOpen = !this.isOpen;
  },
  close() {
    this.isOpen = false;
  },
}));

Alpine.data("globalSearch", () => ({
  isOpen: false,
  open() {
    this.isOpen = this.$root.querySelector("input[type=search]").value.trim().length > 0;
  },
  close() {
    this.isOpen = false;
  },
}));

Alpine.data("bulkSelect", () => ({
  count: 0,
  total: 0,
  init() {
    this.update();
  },
  boxes() {
    return [...this.$root.querySelectorAll("input[name=selected]")];
  },
  update() {
    const boxes = this.boxes();
    this.total = boxes.length;
    this.count = boxes.filter((box) => box.checked).length;
  },
  get hasSelection() {
    return this.count > 0;
  },
  get allSelected() {
    return this.total > 0 && this.count === this.total;
  },
  toggleAll(event) {
    const checked = event.target.checked;
    this.boxes().forEach((box) => {
      box.checked = checked;
    });
    this.update();
  },
  clear() {
    this.boxes().forEach((box) => {
      box.checked = false;
    });
    this.update();
  },
}));

Alpine.data("copyBox", () => ({
  select(event) {
    event.target.select();
  },
  async copy(event) {
    const input = this.$refs.key;
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      document.execCommand("copy");
    }
    this.$refs.label.textContent = event.currentTarget.dataset.copiedLabel || "Copied";
  },
}));

Alpine.data("roleForm", () => ({
  isAdmin: false,
  init() {
    const box = this.$root.querySelector("input[name=is_admin]");
    if (!box) return;
    this.isAdmin = box.checked;
    box.addEventListener("change", () => {
      this.isAdmin = box.checked;
    });
  },
  get showsMatrix() {
    return !this.isAdmin;
  },
}));

// A form whose fields show only for some values of another field (data-field-rules):
// {"phone": {"control": "kind", "values": ["call"]}} shows the phone field for calls only. A
// checkbox control counts as "on" when ticked. Hidden fields still post; the server ignores them.
Alpine.data("fieldRules", () => ({
  init() {
    let rules = {};
    try {
      rules = JSON.parse(this.$root.dataset.fieldRules || "{}");
    } catch {
      return;
    }
    const controls = new Set(Object.values(rules).map((rule) => rule.control));
    const valueOf = (name) => {
      const inputs = [...this.$root.querySelectorAll(`[name="${name}"]`)];
      const chosen = inputs.find((input) => (input.type === "radio" || input.type === "checkbox" ? input.checked : true));
      if (!chosen) return "";
      return chosen.type === "checkbox" ? "on" : chosen.value;
    };
    const apply = () => {
      for (const [name, rule] of Object.entries(rules)) {
        const box = this.$root.querySelector(`[name="${name}"]`)?.closest(".field");
        if (box) box.hidden = !rule.values.includes(valueOf(rule.control));
      }
    };
    this.$root.addEventListener("change", (event) => {
      if (controls.has(event.target.name)) apply();
    });
    apply();
  },
}));

// --- Customer pages: channel rows, record pickers, copy buttons, export of the filtered list ---

Alpine.data("channelRows", () => ({
  // Rows of a Django formset: new rows come from the empty form in a <template>; a removed row
  // is marked for deletion and hidden, so the formset's numbering never has gaps.
  add() {
    const total = this.$root.querySelector("input[name$='-TOTAL_FORMS']");
    const index = Number(total.value);
    const html = this.$refs.empty.innerHTML.replaceAll("__prefix__", String(index));
    this.$refs.list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = this.$refs.list.lastElementChild;
    htmx.process(row);
    row.querySelector("input:not([type=hidden]):not([type=checkbox]), select")?.focus();
  },
  remove(event) {
    const row = event.currentTarget.closest("[data-row]");
    const marker = row.querySelector("input[name$='-DELETE']");
    if (marker) marker.checked = true;
    row.hidden = true;
    row.closest("form")?.dispatchEvent(new Event("input", { bubbles: true }));
  },
}));

Alpine.data("recordPicker", () => ({
  pick(event) {
    const hit = event.target.closest("[data-pick]");
    if (!hit) return;
    this.$refs.value.value = hit.dataset.pick;
    this.$refs.label.textContent = hit.dataset.label;
    this.$refs.chosen.hidden = false;
    this.$refs.box.hidden = true;
    this.$refs.search.value = "";
    event.currentTarget.innerHTML = "";
    this.$refs.value.dispatchEvent(new Event("change", { bubbles: true }));
  },
  clear() {
    this.$refs.value.value = "";
    this.$refs.label.textContent = "";
    this.$refs.chosen.hidden = true;
    this.$refs.box.hidden = false;
    this.$refs.search.focus();
    this.$refs.value.dispatchEvent(new Event("change", { bubbles: true }));
  },
}));

Alpine.data("copyText", () => ({
  async copy() {
    const text = this.$el.dataset.copy || "";
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const field = document.createElement("textarea");
      field.value = text;
      document.body.append(field);
      field.select();
      document.execCommand("copy");
      field.remove();
    }
    showToast(`${this.$el.dataset.copied || "Copied"}: ${text}`, "info");
  },
}));

Alpine.data("exportLinks", () => ({
  // The list's filters change without reloading the page: read them when the link is used.
  go(event) {
    const form = document.getElementById(this.$root.dataset.filters);
    if (!form) return;
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value !== "") params.append(name, value);
    }
    params.set("format", event.currentTarget.dataset.format);
    const url = new URL(event.currentTarget.href, window.location.href);
    window.location.assign(`${url.pathname}?${params}`);
  },
}));

Alpine.start();

startBoards(document);
document.body.addEventListener("htmx:load", () => {
  startBoards(document);
  showServerDialogs(document);
});

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", announceServerMessages);
} else {
  announceServerMessages();
}
