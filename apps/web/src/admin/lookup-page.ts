import { el, replaceChildren } from "../chat/dom";
import { AdminApiError } from "./api";

/** What a lookup page (users, conversations) needs: its words, its route, how to draw what was found. */
export interface Lookup {
  /** The input's name and placeholder, the button's label. */
  name: string;
  placeholder: string;
  button: string;
  /** What a 404 says; what precedes any other error's message. */
  notFound: string;
  error: string;
  /** The hash route of an id: `#<route>/<id>`. */
  route: string;
  resultClass: string;
  /** The card of `id`; `again(notice)` draws it anew (after a change), with a line saying what happened. */
  load(id: string, again: (notice?: string) => void, notice: string): Promise<Node>;
}

/** A lookup box and the card of what it found (or why not); `initialId` is looked up at once. */
export function renderLookup(root: Element, lookup: Lookup, initialId: string | undefined): void {
  const input = el("input", { class: "field", name: lookup.name, placeholder: lookup.placeholder, maxlength: 64 });
  const result = el("div", { class: lookup.resultClass });
  const show = (id: string, notice = "") => {
    // Not `location.hash =`: that would route again (and look it up twice).
    history.replaceState(null, "", `#${lookup.route}/${encodeURIComponent(id)}`);
    lookup
      .load(id, (next) => show(id, next), notice)
      .then(
        (card) => replaceChildren(result, card),
        (error: unknown) =>
          replaceChildren(
            result,
            el(
              "div",
              { class: "error", role: "alert" },
              error instanceof AdminApiError && error.status === 404
                ? lookup.notFound
                : `${lookup.error}: ${String((error as Error).message)}`,
            ),
          ),
      );
  };
  const form = el(
    "form",
    {
      class: "lookup",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const id = input.value.trim();
        if (id) show(id);
      },
    },
    input,
    el("button", { class: "primary", type: "submit" }, lookup.button),
  );
  replaceChildren(root, form, result);
  if (initialId) {
    input.value = initialId;
    show(initialId);
  }
}
