import { useState } from "react";
import { initials } from "../lib/format";

const COLORS = ["bg-sky-500", "bg-emerald-500", "bg-violet-500", "bg-amber-500", "bg-rose-500", "bg-teal-500"];

function colorFor(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return COLORS[hash % COLORS.length] ?? "bg-gray-400";
}

/** A customer's picture, or their initials on a coloured circle when there is none (decorative: the name is always shown beside it). */
export default function Avatar({
  name,
  imageUrl,
  size = 28,
  className = "",
}: {
  name: string;
  imageUrl: string | null | undefined;
  size?: 28 | 32;
  className?: string;
}) {
  const [broken, setBroken] = useState(false);
  const box = size === 32 ? "h-8 w-8 text-xs" : "h-7 w-7 text-[10px]";
  if (imageUrl && !broken) {
    return (
      <img
        src={imageUrl}
        alt=""
        width={size}
        height={size}
        className={`${box} shrink-0 rounded-full ${className}`}
        onError={() => setBroken(true)}
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      className={`${box} ${colorFor(name)} inline-flex shrink-0 items-center justify-center rounded-full font-semibold text-white ${className}`}
    >
      {initials(name)}
    </span>
  );
}
