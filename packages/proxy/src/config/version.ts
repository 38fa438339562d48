// The proxy's version, reported to the control plane (node user agent) and by `/server_info`.
import packageJson from '../../package.json' with { type: 'json' };

export const PROXY_VERSION: string = packageJson.version;
export const PROXY_USER_AGENT = 'heddle-proxy';
