// Small drawn icons, so they look the same on machines without emoji fonts.

export function LockIcon({ title = 'mutual TLS' }: { title?: string }) {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="12" height="12" role="img" aria-label={title}>
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
      <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
    </svg>
  );
}

/** Heddle's mark: the threads of a loom passing through a heddle's eye. */
export function HeddleMark() {
  return (
    <svg class="mark" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      <path d="M4 3v18M20 3v18M12 3v7M12 14v7" stroke="currentColor" stroke-width="2" fill="none" />
      <ellipse cx="12" cy="12" rx="2.2" ry="2" fill="none" stroke="#6ea8ff" stroke-width="1.8" />
      <path d="M2 12h7.5M14.5 12H22" stroke="#6ea8ff" stroke-width="1.8" />
    </svg>
  );
}
