// The red banner that says which API call failed and with which code; it never replaces the view below it.
import { isApiError } from '../../client/index.ts';

export function describeError(error: unknown): { code: string; message: string; path: string } {
  if (isApiError(error)) return { code: error.code, message: error.message, path: error.path };
  return {
    code: 'HEDDLE_DASHBOARD_ERROR',
    message: error instanceof Error ? error.message : String(error),
    path: '',
  };
}

export function ErrorBanner({ errors }: { errors: readonly unknown[] }) {
  const present = errors.filter((error) => error !== undefined && error !== null);
  if (present.length === 0) return null;
  return (
    <div class="banner error" role="alert">
      {present.map((error, index) => {
        const { code, message, path } = describeError(error);
        return (
          <p key={index}>
            <strong class="code">{code}</strong> {message}
            {path ? <span class="path"> ({path})</span> : null}
          </p>
        );
      })}
    </div>
  );
}
