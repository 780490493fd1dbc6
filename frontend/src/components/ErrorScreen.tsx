import ExclamationTriangleIcon from "@heroicons/react/24/outline/ExclamationTriangleIcon";
import { Component, type ErrorInfo, type ReactNode } from "react";

export function ErrorScreen({ onRetry }: { onRetry: () => void }) {
  return (
    <main className="flex h-full min-h-[50vh] flex-col items-center justify-center gap-2" role="alert">
      <ExclamationTriangleIcon className="w-10 text-gray-400" aria-hidden="true" />
      <h2 className="text-center font-serif text-xl">Something went wrong!</h2>
      <p className="text-center text-sm text-gray-500">The page could not be loaded.</p>
      <button
        type="button"
        className="mt-4 rounded-md bg-blue-600 px-4 py-2 text-sm text-white transition-colors hover:bg-[#1e6afc]"
        onClick={onRetry}
      >
        Try again
      </button>
    </main>
  );
}

interface Props {
  children: ReactNode;
  resetKey: string;
}

interface State {
  error: unknown;
  resetKey: string;
  attempt: number;
}

/** Catches any error of a page (never shows a stack trace) and offers "Try again". */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null, resetKey: this.props.resetKey, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error ?? new Error("Unknown error") };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    // Moving to another page clears the error.
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error("Page failed", error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return <ErrorScreen onRetry={() => this.setState((s) => ({ error: null, attempt: s.attempt + 1 }))} />;
    }
    return <div key={this.state.attempt} className="contents">{this.props.children}</div>;
  }
}
