import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

/** A RequestAuthentication whose spec body starts on line 5. */
function requestAuthn(body: string): string {
  return `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: shop}
spec:
${body}`;
}

const PUBLIC_JWKS = JSON.stringify({
  keys: [
    {
      kty: 'RSA',
      kid: 'k1',
      e: 'AQAB',
      n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw',
    },
  ],
});

describe('RequestAuthentication: valid rules', () => {
  it('accepts issuer with jwksUri and audiences', () => {
    expectClean(
      requestAuthn(`  selector:
    matchLabels: {app: web}
  jwtRules:
  - issuer: "https://accounts.example.com"
    jwksUri: "https://accounts.example.com/.well-known/jwks.json"
    audiences: ["web"]
    fromHeaders:
    - name: x-jwt-assertion
      prefix: "Bearer "
    fromParams: ["token"]
    fromCookies: ["session"]
    outputClaimToHeaders:
    - header: x-user
      claim: sub
    timeout: 5s
`),
    );
  });

  it('accepts a jwksUri without an issuer', () => {
    expectClean(requestAuthn('  jwtRules:\n  - jwksUri: "https://auth.example.com/keys"\n'));
  });

  it('accepts an inline JWKS with public keys only', () => {
    expectClean(requestAuthn(`  jwtRules:\n  - issuer: issuer.example.com\n    jwks: '${PUBLIC_JWKS}'\n`));
  });
});

describe('RequestAuthentication: rejected rules', () => {
  it('rejects a rule with neither issuer nor jwksUri', () => {
    expectFinding(requestAuthn('  jwtRules:\n  - audiences: ["web"]\n'), {
      code: 'HEDDLE_REQUEST_AUTHN_ISSUER_REQUIRED',
      level: 'Error',
      field: 'spec.jwtRules[0]',
      line: 6,
    });
  });

  it('rejects empty audiences, token locations and claim mappings', () => {
    const yaml = requestAuthn(`  jwtRules:
  - issuer: issuer.example.com
    audiences: [""]
    fromHeaders: [{name: ""}]
    fromParams: [""]
    fromCookies: [""]
    outputClaimToHeaders: [{header: x-user, claim: ""}]
`);
    const rule = 'spec.jwtRules[0]';
    expectFinding(yaml, { code: 'HEDDLE_SCHEMA_INVALID', field: `${rule}.audiences[0]`, line: 7 });
    expectFinding(yaml, { code: 'HEDDLE_SCHEMA_INVALID', field: `${rule}.fromHeaders[0].name`, line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_SCHEMA_INVALID', field: `${rule}.fromParams[0]`, line: 9 });
    expectFinding(yaml, { code: 'HEDDLE_SCHEMA_INVALID', field: `${rule}.fromCookies[0]`, line: 10 });
    expectFinding(yaml, {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: `${rule}.outputClaimToHeaders[0].claim`,
      line: 11,
    });
  });

  it('rejects a null claim mapping and one without a header', () => {
    expectFinding(requestAuthn('  jwtRules:\n  - issuer: i\n    outputClaimToHeaders:\n    - ~\n'), {
      code: 'HEDDLE_SCHEMA_TYPE',
      field: 'spec.jwtRules[0].outputClaimToHeaders[0]',
      line: 8,
    });
    expectFinding(requestAuthn('  jwtRules:\n  - issuer: i\n    outputClaimToHeaders:\n    - claim: sub\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.jwtRules[0].outputClaimToHeaders[0].header',
      line: 8,
    });
  });

  it('rejects header names that are not HTTP tokens', () => {
    const yaml = requestAuthn(`  jwtRules:
  - issuer: i
    fromHeaders: [{name: "x jwt"}]
    outputPayloadToHeader: "x:payload"
    outputClaimToHeaders: [{header: "x user", claim: sub}]
`);
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.jwtRules[0].fromHeaders[0].name',
      line: 7,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.jwtRules[0].outputPayloadToHeader',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.jwtRules[0].outputClaimToHeaders[0].header',
      line: 9,
    });
  });

  it('rejects a jwksUri that is not an http(s) URL', () => {
    expectFinding(requestAuthn('  jwtRules:\n  - issuer: i\n    jwksUri: accounts.example.com/jwks.json\n'), {
      code: 'HEDDLE_REQUEST_AUTHN_JWKS_URI_INVALID',
      field: 'spec.jwtRules[0].jwksUri',
      line: 7,
    });
    expectFinding(
      requestAuthn('  jwtRules:\n  - issuer: i\n    jwksUri: "ftp://accounts.example.com/jwks.json"\n'),
      {
        code: 'HEDDLE_REQUEST_AUTHN_JWKS_URI_INVALID',
        line: 7,
        message: 'https://',
      },
    );
  });

  it('warns when keys are fetched over plain http from another host', () => {
    expectFinding(
      requestAuthn('  jwtRules:\n  - issuer: i\n    jwksUri: "http://accounts.example.com/jwks.json"\n'),
      {
        code: 'HEDDLE_REQUEST_AUTHN_JWKS_URI_INSECURE',
        level: 'Warning',
        field: 'spec.jwtRules[0].jwksUri',
        line: 7,
      },
    );
    expectNoFinding(
      requestAuthn('  jwtRules:\n  - issuer: i\n    jwksUri: "http://127.0.0.1:8080/jwks.json"\n'),
      'HEDDLE_REQUEST_AUTHN_JWKS_URI_INSECURE',
    );
  });

  it('rejects jwks together with jwksUri', () => {
    expectFinding(
      requestAuthn(
        `  jwtRules:\n  - issuer: i\n    jwksUri: "https://a.example.com/k"\n    jwks: '${PUBLIC_JWKS}'\n`,
      ),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.jwtRules[0].jwks', line: 8 },
    );
  });

  it('rejects an inline JWKS that is not a key set', () => {
    const field = 'spec.jwtRules[0].jwks';
    expectFinding(requestAuthn(`  jwtRules:\n  - issuer: i\n    jwks: "{not json"\n`), {
      code: 'HEDDLE_REQUEST_AUTHN_JWKS_INVALID',
      field,
      line: 7,
      message: 'not valid JSON',
    });
    expectFinding(
      requestAuthn(`  jwtRules:\n  - issuer: i\n    jwks: '{"kty": "RSA", "n": "x", "e": "AQAB"}'\n`),
      {
        code: 'HEDDLE_REQUEST_AUTHN_JWKS_INVALID',
        line: 7,
        message: '{"keys": [ ... ]}',
      },
    );
    expectFinding(
      requestAuthn(`  jwtRules:\n  - issuer: i\n    jwks: '{"keys": [{"kty": "RSA", "e": "AQAB"}]}'\n`),
      {
        code: 'HEDDLE_REQUEST_AUTHN_JWKS_INVALID',
        line: 7,
        message: '"n"',
      },
    );
  });

  it('warns about private key material in an inline JWKS', () => {
    const jwks = '{"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "secret"}]}';
    expectFinding(requestAuthn(`  jwtRules:\n  - issuer: i\n    jwks: '${jwks}'\n`), {
      code: 'HEDDLE_REQUEST_AUTHN_JWKS_PRIVATE_KEY',
      level: 'Warning',
      field: 'spec.jwtRules[0].jwks',
      line: 7,
      message: '"d"',
    });
    expectFinding(
      requestAuthn(`  jwtRules:\n  - issuer: i\n    jwks: '{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}'\n`),
      {
        code: 'HEDDLE_REQUEST_AUTHN_JWKS_PRIVATE_KEY',
        level: 'Warning',
        message: 'shared secret',
      },
    );
  });

  it('rejects a timeout below 1 ms', () => {
    expectFinding(requestAuthn('  jwtRules:\n  - issuer: i\n    timeout: 0s\n'), {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.jwtRules[0].timeout',
      line: 7,
    });
  });
});
