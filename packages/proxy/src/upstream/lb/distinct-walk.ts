// Retries on consistent-hash tables: walk on from the first choice to the attempt-th host not yet met, so
// each retry lands on a different host while the mapping for first attempts stays untouched.

/** `owners[i]` is the host index of slot i; returns the slot holding the attempt-th distinct host. */
export function distinctSlot(owners: ArrayLike<number>, start: number, attempt: number): number {
  if (attempt === 0) return start;
  const size = owners.length;
  const seen = new Set<number>([owners[start] as number]);
  let index = start;
  for (let k = 0; k < size; k++) {
    index = index + 1 === size ? 0 : index + 1;
    const owner = owners[index] as number;
    if (seen.has(owner)) continue;
    seen.add(owner);
    if (seen.size > attempt) return index;
  }
  return index;
}
