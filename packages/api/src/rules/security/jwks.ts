// Inline JSON Web Key Sets (`jwtRules[].jwks`): parseable, with public keys, and no private key material.

export interface JwksProblem {
  readonly level: 'Error' | 'Warning';
  readonly message: string;
}

/** Members each key type needs to verify a signature. */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
  oct: ['k'],
};

/** Members that only a signer holds; they never belong in a verifier's configuration. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function keyProblems(key: unknown, index: number): JwksProblem[] {
  const label = `key ${index + 1}`;
  if (!isRecord(key)) return [{ level: 'Error', message: `${label} is not a JSON object` }];
  const kty = key.kty;
  if (typeof kty !== 'string' || !(kty in PUBLIC_MEMBERS)) {
    return [
      {
        level: 'Error',
        message: `${label} has ${typeof kty === 'string' ? `an unknown "kty" "${kty}"` : 'no "kty"'}; use "RSA", "EC", "OKP" or "oct"`,
      },
    ];
  }
  const problems: JwksProblem[] = [];
  const missing = (PUBLIC_MEMBERS[kty] ?? []).filter((member) => typeof key[member] !== 'string');
  if (missing.length > 0) {
    problems.push({
      level: 'Error',
      message: `${label} (${kty}) lacks ${missing.map((m) => `"${m}"`).join(', ')}, so it cannot verify a signature`,
    });
  }
  const secrets = PRIVATE_MEMBERS.filter((member) => member in key);
  if (secrets.length > 0) {
    problems.push({
      level: 'Warning',
      message: `${label} contains private key material (${secrets.map((m) => `"${m}"`).join(', ')}); anyone who can read this resource can mint tokens. Keep only the public members`,
    });
  } else if (kty === 'oct') {
    problems.push({
      level: 'Warning',
      message: `${label} is a shared secret ("oct"); anyone who can read this resource can mint tokens. Prefer an asymmetric key (RSA, EC, OKP)`,
    });
  }
  return problems;
}

/** Everything wrong with an inline JWKS, most serious first; empty when it is fine. */
export function jwksProblems(text: string): JwksProblem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return [
      { level: 'Error', message: `is not valid JSON (${detail}); paste the JSON Web Key Set document` },
    ];
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.keys)) {
    const single = isRecord(parsed) && typeof parsed.kty === 'string';
    return [
      {
        level: 'Error',
        message: single
          ? 'is a single key, not a key set; wrap it as {"keys": [ ... ]}'
          : 'is not a JSON Web Key Set; it must be an object with a "keys" list',
      },
    ];
  }
  if (parsed.keys.length === 0) {
    return [{ level: 'Error', message: 'has an empty "keys" list, so no token could ever be verified' }];
  }
  return parsed.keys.flatMap((key: unknown, index) => keyProblems(key, index));
}
