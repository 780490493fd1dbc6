import NotFoundScreen from "../components/NotFoundScreen";

export default function NotFound() {
  return <NotFoundScreen what="page" to="/" label="Go Home" fullPage />;
}
