// What Node code needs from the dashboard package: where its built files are. The control plane serves that
// folder under /dashboard/; the browser app itself lives in src/app and is built by Vite at install time.
import { fileURLToPath } from 'node:url';

/** The Vite build output (index.html and assets), made by `npm run generate -w @heddle/dashboard`. */
export const DASHBOARD_DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

/** The path the control plane serves the dashboard under; Vite builds with this base. */
export const DASHBOARD_BASE_PATH = '/dashboard/';
