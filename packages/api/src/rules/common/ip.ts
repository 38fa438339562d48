// IP literal detection without node:net, so pure packages can use it: 4, 6, or 0 for "not an IP".

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIP(value: string): 0 | 4 | 6 {
  if (IPV4.test(value)) return 4;
  return isIPv6(value) ? 6 : 0;
}

function isIPv6(value: string): boolean {
  const zoneless = value.split('%')[0] ?? '';
  if (!/^[0-9a-fA-F:.]+$/.test(zoneless) || zoneless.length < 2) return false;
  const doubleColon = zoneless.split('::');
  if (doubleColon.length > 2) return false;
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const head = groups(doubleColon[0] ?? '');
  const tail = doubleColon.length === 2 ? groups(doubleColon[1] ?? '') : [];
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!IPV4.test(last)) return false;
    count += 1; // an embedded IPv4 address takes two groups
    all.pop();
  }
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  return doubleColon.length === 2 ? count < 8 : count === 8;
}
