// Why a JWT was refused, with Envoy's status messages (the 401 body and, with spaces as underscores, the
// response code details `jwt_authn_access_denied{…}`).
export const JWT_STATUS = {
  missing: 'Jwt is missing',
  badFormat: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
  badHeader: 'Jwt header is an invalid JSON',
  badPayload: 'Jwt payload is an invalid JSON',
  tooLarge: 'Jwt is too large',
  unknownIssuer: 'Jwt issuer is not configured',
  expired: 'Jwt is expired',
  notYetValid: 'Jwt not yet valid',
  audienceNotAllowed: 'Audiences in Jwt are not allowed',
  noExpiration: 'Jwt has no expiration',
  subjectNotAllowed: 'Jwt subject is not allowed',
  algNotAllowed: 'Jwt algorithm is not allowed',
  kidAlgMismatch: "Jwks doesn't have key to match kid or alg from Jwt",
  verificationFailed: 'Jwt verification fails',
  /** Internal: the signature check has not finished yet (never answered to a client). */
  pending: 'Jwt verification is pending',
} as const;

export type JwtStatus = (typeof JWT_STATUS)[keyof typeof JWT_STATUS];

export function jwtDenyDetails(status: JwtStatus): string {
  return `jwt_authn_access_denied{${status.replaceAll(' ', '_')}}`;
}
