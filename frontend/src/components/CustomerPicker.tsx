import ChevronUpDownIcon from "@heroicons/react/24/outline/ChevronUpDownIcon";
import UserCircleIcon from "@heroicons/react/24/outline/UserCircleIcon";
import { useEffect, useId, useRef, useState } from "react";
import { api, call, type CustomerOption } from "../api/client";
import { useDebouncedCallback } from "../lib/hooks";
import Avatar from "./Avatar";

const LIMIT = 20;

/**
 * Search-as-you-type customer picker (ARIA combobox + listbox). Asks the server for at most 20 matches,
 * so it works with any number of customers.
 */
export default function CustomerPicker({
  id,
  value,
  onChange,
  invalid,
  describedBy,
  inputRef,
}: {
  id: string;
  value: CustomerOption | null;
  onChange: (customer: CustomerOption | null) => void;
  invalid: boolean;
  describedBy: string;
  inputRef: React.RefObject<HTMLInputElement | null>;
}) {
  const listId = useId();
  const [text, setText] = useState(value?.name ?? "");
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<CustomerOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [active, setActive] = useState(-1);
  const request = useRef<AbortController | null>(null);
  // The list closes a moment after the field loses focus (so a click on an option lands first);
  // coming back to the field cancels that, or a quick return would find its fresh list closed.
  const closing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    setText(value?.name ?? "");
  }, [value]);

  useEffect(
    () => () => {
      request.current?.abort();
      clearTimeout(closing.current);
    },
    [],
  );

  function search(query: string) {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    setLoading(true);
    call(api.GET("/api/customers/options", { params: { query: { query, limit: LIMIT } }, signal: controller.signal })).then(
      ({ data }) => {
        if (controller.signal.aborted) return;
        setOptions(data);
        setActive(data.length ? 0 : -1);
        setLoading(false);
      },
      () => {
        if (controller.signal.aborted) return;
        setOptions([]);
        setActive(-1);
        setLoading(false);
      },
    );
  }
  const debouncedSearch = useDebouncedCallback(search, 200);

  function openList(query: string) {
    setOpen(true);
    search(query);
  }

  function choose(option: CustomerOption) {
    onChange(option);
    setText(option.name);
    setOpen(false);
  }

  useEffect(() => {
    if (!open || active < 0) return;
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active, open]);

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) openList(value ? "" : text);
        else setActive((i) => Math.min(options.length - 1, i + 1));
        break;
      case "ArrowUp":
        event.preventDefault();
        if (open) setActive((i) => Math.max(0, i - 1));
        break;
      case "Enter":
        if (open) {
          event.preventDefault();
          const option = options[active];
          if (option) choose(option);
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          setOpen(false);
          setText(value?.name ?? "");
        }
        break;
      case "Tab":
        setOpen(false);
        break;
    }
  }

  const activeOption = open && active >= 0 ? options[active] : undefined;

  return (
    <div className="relative">
      <input
        ref={inputRef}
        id={id}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeOption ? `${listId}-${activeOption.id}` : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        placeholder="Search for a customer"
        className={`peer block w-full rounded-md border py-2 pl-10 pr-10 text-sm focus:outline-2 focus:-outline-offset-1 focus:outline-blue-500 placeholder:text-gray-500 ${
          invalid ? "border-red-500" : "border-gray-200"
        }`}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (value) onChange(null);
          setOpen(true);
          debouncedSearch(event.target.value);
        }}
        onClick={() => {
          if (!open) openList(value ? "" : text);
        }}
        onFocus={() => clearTimeout(closing.current)}
        onBlur={() => {
          // Let a click on an option land first.
          clearTimeout(closing.current);
          closing.current = setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={onKeyDown}
      />
      {value ? (
        <Avatar name={value.name} imageUrl={value.imageUrl} size={28} className="pointer-events-none absolute left-2 top-1/2 -translate-y-1/2 !h-6 !w-6" />
      ) : (
        <UserCircleIcon className="pointer-events-none absolute left-3 top-1/2 h-[18px] w-[18px] -translate-y-1/2 text-gray-500" aria-hidden="true" />
      )}
      <ChevronUpDownIcon className="pointer-events-none absolute right-3 top-1/2 h-5 w-5 -translate-y-1/2 text-gray-400" aria-hidden="true" />
      <ul
        ref={listRef}
        id={listId}
        role="listbox"
        aria-label="Customers"
        hidden={!open}
        className="absolute z-20 mt-1 max-h-64 w-full overflow-auto rounded-md border border-gray-200 bg-white py-1 text-sm shadow-lg"
      >
        {options.map((option, index) => (
          <li
            key={option.id}
            id={`${listId}-${option.id}`}
            role="option"
            data-index={index}
            aria-selected={index === active}
            className={`flex cursor-pointer items-center gap-2 px-3 py-2 ${index === active ? "bg-blue-100 text-blue-700" : ""}`}
            onMouseDown={(event) => event.preventDefault()}
            onMouseEnter={() => setActive(index)}
            onClick={() => choose(option)}
          >
            <Avatar name={option.name} imageUrl={option.imageUrl} />
            <span className="min-w-0">
              <span className="block truncate">{option.name}</span>
              <span className={`block truncate text-xs ${index === active ? "text-blue-600" : "text-gray-500"}`}>{option.email}</span>
            </span>
          </li>
        ))}
        {!loading && options.length === 0 ? (
          <li role="presentation" className="px-3 py-2 text-gray-500">
            No customers found.
          </li>
        ) : null}
        {loading && options.length === 0 ? (
          <li role="presentation" className="px-3 py-2 text-gray-500">
            Searching…
          </li>
        ) : null}
      </ul>
    </div>
  );
}
