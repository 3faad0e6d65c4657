"use client";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { CountryOption } from "@/lib/shared/countries";
import { controlClass, errorIdOf } from "./form-control";

/** Lower case without accents, so "curacao" finds Curaçao and "aland" Åland Islands. */
const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

const matches = (option: CountryOption, query: string) =>
  !query || fold(option.name).includes(query) || option.code.toLowerCase() === query;

/**
 * Countries by name, chosen with checkboxes: each ticked box submits its code under `name`
 * (one value per country, as the form reads it). A filter narrows the list; the list is one tab
 * stop (arrow keys, Home and End move inside it, Space ticks); what is chosen is listed above it
 * with a button to remove each. The boxes are plain form controls, so a refused submit puts the
 * ticks back (restoreFormValues) and the list of chosen countries follows.
 */
export function CountryPicker({
  name,
  legend,
  options,
  defaultValue = [],
  errors,
  hint,
}: {
  name: string;
  legend: string;
  options: CountryOption[];
  defaultValue?: readonly string[];
  errors?: string[] | undefined;
  hint?: string;
}) {
  const id = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const [selected, setSelected] = useState<string[]>(() =>
    options.filter((o) => defaultValue.includes(o.code)).map((o) => o.code),
  );
  const [query, setQuery] = useState("");
  const [active, setActive] = useState<string | null>(null);
  const folded = fold(query.trim());
  const visible = options.filter((o) => matches(o, folded));
  // The one box in the tab order: the last focused one while visible, else the first shown.
  const tabStop = visible.some((o) => o.code === active) ? active : (visible[0]?.code ?? null);

  const boxes = () =>
    Array.from(listRef.current?.querySelectorAll<HTMLInputElement>("input[type=checkbox]") ?? []);
  // The ticks live in the DOM (a form reset and restoreFormValues change them without events).
  const sync = useCallback(() => {
    setSelected(boxes().flatMap((box) => (box.checked ? [box.value] : [])));
  }, []);
  useEffect(() => {
    const form = listRef.current?.closest("form");
    if (!form) return;
    // After React's reset and the restore that follows it in the same commit.
    const onReset = () => {
      setQuery("");
      setTimeout(sync, 0);
    };
    form.addEventListener("reset", onReset);
    return () => form.removeEventListener("reset", onReset);
  }, [sync]);

  const focusBox = (code: string | undefined) => {
    if (!code) return;
    boxes()
      .find((box) => box.value === code)
      ?.focus();
  };
  const onListKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = visible.findIndex((o) => o.code === tabStop);
    const to = {
      ArrowDown: Math.min(at + 1, visible.length - 1),
      ArrowUp: Math.max(at - 1, 0),
      Home: 0,
      End: visible.length - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    focusBox(visible[to]?.code);
  };
  const onFilterKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      focusBox(tabStop ?? undefined);
    } else if (event.key === "Enter") {
      // Not a submit of the whole form: a single match is ticked, otherwise on to the list.
      event.preventDefault();
      const [only, ...more] = visible;
      if (only && more.length === 0)
        boxes()
          .find((b) => b.value === only.code)
          ?.click();
      else focusBox(tabStop ?? undefined);
    } else if (event.key === "Escape" && query) {
      event.preventDefault();
      setQuery("");
    }
  };
  const remove = (code: string) => {
    const box = boxes().find((b) => b.value === code);
    if (box) box.checked = false;
    sync();
    filterRef.current?.focus(); // the button is gone: focus stays in the picker
  };

  const errorId = errorIdOf(name);
  const hintId = `${id}-hint`;
  const names = new Map(options.map((o) => [o.code, o.name]));
  return (
    <fieldset
      aria-describedby={errors?.length ? errorId : hint ? hintId : undefined}
      className="min-w-0"
    >
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <div className="mt-1 text-sm">
        {selected.length === 0 ? (
          <p className="text-slate-600">
            None chosen: sends and calls to every country are refused.
          </p>
        ) : (
          <>
            <p className="text-slate-600">{selected.length} chosen:</p>
            <ul className="mt-1 flex flex-wrap gap-1" aria-label="Chosen countries">
              {selected.map((code) => (
                <li key={code}>
                  <button
                    type="button"
                    onClick={() => remove(code)}
                    aria-label={`Remove ${names.get(code) ?? code} (${code})`}
                    className="focus-visible:ring-brand-600/30 inline-flex items-center gap-1 rounded-full border border-slate-300 bg-slate-50 px-2 py-0.5 text-xs text-slate-800 hover:bg-slate-100 focus-visible:ring-2 focus-visible:outline-none"
                  >
                    {names.get(code) ?? code} ({code})<span aria-hidden="true">×</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <label className="mt-2 block text-sm">
        <span className="font-medium text-slate-700">Find a country</span>
        <input
          ref={filterRef}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onFilterKey}
          aria-controls={`${id}-list`}
          autoComplete="off"
          spellCheck={false}
          placeholder="Name or code, e.g. Guernsey or GG"
          className={controlClass}
        />
      </label>
      <p className="sr-only" role="status">
        {folded
          ? `${visible.length} ${visible.length === 1 ? "country matches" : "countries match"}`
          : ""}
      </p>
      <div
        id={`${id}-list`}
        ref={listRef}
        onKeyDown={onListKey}
        // Row styles once here, not on each of the ~245 rows (they go to the page twice).
        className="[&_input]:accent-brand-600 [&_input:focus-visible]:ring-brand-600/30 mt-2 max-h-60 overflow-y-auto rounded-md border border-slate-200 p-1 text-sm [&_input]:size-4 [&_input]:shrink-0 [&_input:focus-visible]:ring-2 [&_input:focus-visible]:outline-none [&>label]:flex [&>label]:cursor-pointer [&>label]:items-center [&>label]:gap-2 [&>label]:rounded [&>label]:px-2 [&>label]:py-1 [&>label:hover]:bg-slate-50"
      >
        {options.map((o) => (
          <label key={o.code} hidden={!matches(o, folded)}>
            <input
              type="checkbox"
              name={name}
              value={o.code}
              defaultChecked={defaultValue.includes(o.code)}
              tabIndex={o.code === tabStop ? 0 : -1}
              onFocus={() => setActive(o.code)}
              onChange={sync}
            />
            <span>
              {o.name} <span className="font-mono text-xs text-slate-600">({o.code})</span>
            </span>
          </label>
        ))}
        {visible.length === 0 ? (
          <p className="px-2 py-1 text-sm text-slate-600">No country matches “{query.trim()}”.</p>
        ) : null}
      </div>
      {errors?.length ? (
        <p id={errorId} className="mt-1 text-xs text-red-600">
          {errors.join(" ")}
        </p>
      ) : hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </fieldset>
  );
}
