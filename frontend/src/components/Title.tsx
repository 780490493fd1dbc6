import { useLayoutEffect } from "react";

/** The document's title while this screen shows: `<Title>Invoices · Acme</Title>`. */
export default function Title({ children }: { children: string }) {
  useLayoutEffect(() => {
    document.title = children;
  }, [children]);
  return null;
}
