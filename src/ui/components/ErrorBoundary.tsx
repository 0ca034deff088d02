import { Component, type ReactNode } from 'react';

/**
 * Keeps one view's failure (a lazily loaded chunk that did not arrive, a bug) to that
 * view: it says what happened and offers to try again, while the terminal and the other
 * views go on working.
 */
export class ErrorBoundary extends Component<
  { name: string; children: ReactNode },
  { error: Error | undefined; attempt: number }
> {
  override state = { error: undefined as Error | undefined, attempt: 0 };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error, attempt } = this.state;
    if (!error)
      return (
        <div key={attempt} className="boundary">
          {this.props.children}
        </div>
      );
    return (
      <div className="error view-error" role="alert">
        <p>
          The {this.props.name} could not be shown: {error.message}
        </p>
        <button
          type="button"
          onClick={() => this.setState({ error: undefined, attempt: attempt + 1 })}
        >
          Try again
        </button>{' '}
        <button type="button" onClick={() => location.reload()}>
          Reload the page
        </button>
      </div>
    );
  }
}
