export type PageItem = number | "...";

/**
 * The page numbers shown under a table: all of them up to 7 pages; otherwise the first and last pages
 * with "..." around the current one (1,2,3,…,n-1,n near the start; 1,2,…,n-2,n-1,n near the end;
 * 1,…,p-1,p,p+1,…,n in the middle).
 */
export function generatePagination(currentPage: number, totalPages: number): PageItem[] {
  if (totalPages <= 0) return [];
  if (totalPages <= 7) return Array.from({ length: totalPages }, (_, i) => i + 1);
  const page = Math.min(Math.max(1, currentPage), totalPages);
  if (page <= 3) return [1, 2, 3, "...", totalPages - 1, totalPages];
  if (page >= totalPages - 2) return [1, 2, "...", totalPages - 2, totalPages - 1, totalPages];
  return [1, "...", page - 1, page, page + 1, "...", totalPages];
}

/** Reads a 1-based page number from a URL parameter; anything else is page 1. */
export function parsePage(value: string | null): number {
  if (value === null || !/^\d+$/.test(value)) return 1;
  const page = Number(value);
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}
