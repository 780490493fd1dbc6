import ArrowLeftIcon from "@heroicons/react/24/outline/ArrowLeftIcon";
import ArrowRightIcon from "@heroicons/react/24/outline/ArrowRightIcon";
import { Link, useLocation, useSearchParams } from "../lib/routing";
import { generatePagination } from "../lib/pagination";

function usePageUrl() {
  const { pathname } = useLocation();
  const [searchParams] = useSearchParams();
  return (page: number) => {
    const params = new URLSearchParams(searchParams);
    params.set("page", String(page));
    return `${pathname}?${params.toString()}`;
  };
}

export default function Pagination({ currentPage, totalPages }: { currentPage: number; totalPages: number }) {
  const pageUrl = usePageUrl();
  if (totalPages <= 1) return null;
  const pages = generatePagination(currentPage, totalPages);

  return (
    <nav aria-label="Pagination" className="inline-flex">
      <PaginationArrow direction="left" href={pageUrl(currentPage - 1)} disabled={currentPage <= 1} />
      <div className="flex -space-x-px">
        {pages.map((page, index) => {
          const position =
            pages.length === 1 ? "single" : index === 0 ? "first" : index === pages.length - 1 ? "last" : page === "..." ? "middle" : undefined;
          const rounded = `${position === "first" || position === "single" ? "rounded-l-md" : ""} ${position === "last" || position === "single" ? "rounded-r-md" : ""}`;
          const base = `flex h-10 min-w-8 px-1.5 sm:min-w-10 sm:px-2 items-center justify-center border border-gray-200 text-sm ${rounded}`;
          if (page === "...") {
            return (
              <span key={`gap-${index}`} className={`${base} text-gray-500`} aria-hidden="true">
                ...
              </span>
            );
          }
          if (page === currentPage) {
            return (
              <span key={page} aria-current="page" className={`${base} z-10 border-blue-600 bg-blue-600 text-white`}>
                <span className="sr-only">Page </span>
                {page}
              </span>
            );
          }
          return (
            <Link key={page} to={pageUrl(page)} className={`${base} hover:bg-gray-100`} aria-label={`Page ${page}`}>
              {page}
            </Link>
          );
        })}
      </div>
      <PaginationArrow direction="right" href={pageUrl(currentPage + 1)} disabled={currentPage >= totalPages} />
    </nav>
  );
}

function PaginationArrow({ href, direction, disabled }: { href: string; direction: "left" | "right"; disabled: boolean }) {
  const className = `flex h-10 w-8 sm:w-10 items-center justify-center rounded-md border border-gray-200 ${
    disabled ? "pointer-events-none text-gray-300" : "hover:bg-gray-100"
  } ${direction === "left" ? "mr-2 md:mr-4" : "ml-2 md:ml-4"}`;
  const label = direction === "left" ? "Previous page" : "Next page";
  const icon = direction === "left" ? <ArrowLeftIcon className="w-4" aria-hidden="true" /> : <ArrowRightIcon className="w-4" aria-hidden="true" />;
  if (disabled) {
    return (
      <span className={className} aria-label={label} aria-disabled="true" role="link">
        {icon}
      </span>
    );
  }
  return (
    <Link to={href} className={className} aria-label={label}>
      {icon}
    </Link>
  );
}
