// The key set a JWT provider gets when its real JWKS is unavailable: one RSA public key whose private key
// was discarded when it was generated, so no token verifies (fail closed), yet the provider is well-formed
// and a token of its issuer is answered 401 rather than treated as coming from an unknown issuer.
export const UNRESOLVABLE_JWKS_KID = 'heddle-jwks-unavailable';

export const UNRESOLVABLE_JWKS = JSON.stringify({
  keys: [
    {
      kty: 'RSA',
      kid: UNRESOLVABLE_JWKS_KID,
      alg: 'RS256',
      use: 'sig',
      e: 'AQAB',
      n:
        'zZoIno_wZGPNscT9HjbV19Xldv4eLh1-RS0pnmo4UXoVGr1BveulCKR6rlhgvmCywWVbWuzaa7nG5R2cl_foHa_W1xxsWnt2nfxmoXa' +
        'xnpxp6ITG3FgcV_m59RaOUxElkuXiL5jCE9P_k_ollwzYKoywLu576W_vF_1zW0eni8enc9Kvql75kwueZgqOHKTub2UnbnG54HCwUu' +
        'Ocf88rixdwlaKhA4TA_xI9s3BzaxK0K2q5qqMmA0JkCn2WjlOI8nx8Q6DCs4DXHhZpPiekS3Yw69Pm15OgxJzszkcnOy__iduA-cDsN' +
        'u6-vH3aVRcbS-RmrqCa-4EUIewM7NUe1Q',
    },
  ],
});
