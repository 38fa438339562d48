// What a view shows before its first answer, or instead of data when the first request failed.

export function Loading({ failed }: { failed: boolean }) {
  return <p class="empty">{failed ? 'No data: the request failed (see above).' : 'Loading…'}</p>;
}
