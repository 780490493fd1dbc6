import { Link } from "../lib/routing";

export interface Breadcrumb {
  label: string;
  href: string;
  active?: boolean;
}

export default function Breadcrumbs({ breadcrumbs }: { breadcrumbs: Breadcrumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-6 block">
      {/* Long names (a customer's) wrap, even inside a word, rather than widen the page. */}
      <ol className="flex min-w-0 flex-wrap font-serif text-xl [overflow-wrap:anywhere] md:text-2xl">
        {breadcrumbs.map((breadcrumb, index) => (
          <li
            key={breadcrumb.href}
            aria-current={breadcrumb.active ? "page" : undefined}
            className={`min-w-0 ${breadcrumb.active ? "text-gray-900" : "text-gray-500"}`}
          >
            {breadcrumb.active ? (
              <h1 className="inline">{breadcrumb.label}</h1>
            ) : (
              <Link to={breadcrumb.href} className="inline-block">
                {breadcrumb.label}
              </Link>
            )}
            {index < breadcrumbs.length - 1 ? <span className="mx-3 inline-block">/</span> : null}
          </li>
        ))}
      </ol>
    </nav>
  );
}
