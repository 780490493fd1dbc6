import MagnifyingGlassIcon from "@heroicons/react/24/outline/MagnifyingGlassIcon";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "../lib/routing";
import { useDebouncedCallback } from "../lib/hooks";

/** A search box whose text lives in the URL as ?query=…&page=1, written 300 ms after the last key. */
export default function Search({ placeholder }: { placeholder: string }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = searchParams.get("query") ?? "";
  const [text, setText] = useState(query);
  const written = useRef(query);

  // Back/forward or a link changed the URL: show its query.
  useEffect(() => {
    if (query !== written.current) {
      written.current = query;
      setText(query);
    }
  }, [query]);

  const writeQuery = useDebouncedCallback((value: string) => {
    written.current = value;
    const params = new URLSearchParams();
    if (value) params.set("query", value);
    params.set("page", "1");
    // Other filters in the URL (the invoices' ?status=) stay.
    const status = new URLSearchParams(window.location.search).get("status");
    if (status) params.set("status", status);
    setSearchParams(params);
  }, 300);

  return (
    <div className="relative flex min-w-48 flex-1 flex-shrink-0">
      <label htmlFor="search" className="sr-only">
        Search
      </label>
      <input
        id="search"
        type="search"
        className="peer block w-full rounded-md border border-gray-200 py-[9px] pl-10 text-sm focus:outline-2 focus:-outline-offset-1 focus:outline-blue-500 placeholder:text-gray-500"
        placeholder={placeholder}
        value={text}
        autoComplete="off"
        onChange={(event) => {
          setText(event.target.value);
          writeQuery(event.target.value);
        }}
      />
      <MagnifyingGlassIcon
        className="pointer-events-none absolute left-3 top-1/2 h-[18px] w-[18px] -translate-y-1/2 text-gray-500 peer-focus:text-gray-900"
        aria-hidden="true"
      />
    </div>
  );
}
